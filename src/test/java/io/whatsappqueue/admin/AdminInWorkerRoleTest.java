package io.whatsappqueue.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.support.TestApp;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker (WA_ROLE=worker) serves no admin or API path and no OpenAPI document: the REST DSL of the admin and API
 * routes is disabled there, so no such route exists, and an admin call answers the JSON 404 of unknown paths.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminInWorkerRoleTest implements CamelContextAware {
    @RegisterExtension
    static final TestApp APP = TestApp.worker("wr-demo").with("ADMIN_TOKEN", TestApp.ADMIN_TOKEN);

    private CamelContext context;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Test
    void aWorkerHasNoAdminOrApiRoutesAndServesNoOpenApiDocument() {
        List<HttpOperations.Operation> ops = HttpOperations.of(context).stream()
                .filter(op -> op.path().startsWith("/admin/") || op.path().startsWith("/api/")).toList();
        assertEquals(List.of(), ops);

        for (String path : List.of("/admin/streams/health", "/api/messages/x")) {
            AdminHttp.Answer a = AdminHttp.as(TestApp.ADMIN_TOKEN).get(path);
            assertEquals(404, a.status(), path + " answered " + a.body());
            assertEquals("not_found", a.json().get("error").asText());
        }
        AdminHttp.Answer doc = AdminHttp.as(null).get("/openapi.json");
        assertEquals(404, doc.status(), doc.body());
        assertTrue(!doc.body().contains("\"paths\""), doc.body());
    }
}
