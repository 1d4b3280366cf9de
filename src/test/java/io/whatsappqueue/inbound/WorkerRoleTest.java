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
        var routes = template.getCamelContext().getRouteController();
        assertEquals(ServiceStatus.Stopped, routes.getRouteStatus("webhook-in"));
        assertEquals(ServiceStatus.Stopped, routes.getRouteStatus("reply-generate"));
        assertEquals(ServiceStatus.Started, routes.getRouteStatus("reply-send"));
        assertEquals(404, env.postWebhook(env.fixture("01-text-conversation.json")).statusCode());
    }
}
