package io.whatsappqueue.inbound;

import java.util.Map;

import io.whatsappqueue.config.AppConfiguration;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A worker never answers webhooks: it starts without the inbound routes and without a readable knowledge file. */
@CamelMainTest(configurationClasses = AppConfiguration.class)
class WorkerRoleTest {
    private static final String INSTANCE = "acme-worker";
    @RegisterExtension
    static final InboundTestEnv env = InboundTestEnv.withAi(INSTANCE, Map.of("WA_ROLE", "worker", "WA_KNOWLEDGE_FILE", "/nonexistent/clinic.yaml"));

    @EndpointInject
    ProducerTemplate template;

    @Test
    void workerStartsWithoutWebhookAndReplyRoutes() {
        // the web role's routes are not built at all in a worker (route precondition), only the worker's run
        var context = template.getCamelContext();
        assertNull(context.getRoute("webhook-in"));
        assertNull(context.getRoute("reply-generate"));
        assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus("reply-send"));
        assertEquals(404, env.postWebhook(env.fixture("01-text-conversation.json")).statusCode());
    }
}
