package io.whatsappqueue.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.support.TestApp;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without ADMIN_TOKEN only the health check answers; every other admin call is refused, naming ADMIN_TOKEN. */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminWithoutTokenTest implements CamelContextAware {
    @RegisterExtension
    static final TestApp APP = TestApp.web("open-a").with("ADMIN_TOKEN", null);

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
    void healthAnswersWithoutAToken() {
        AdminHttp.Answer a = AdminHttp.as(null).get("/admin/streams/health");
        assertEquals(200, a.status(), a.body());
        assertEquals("open-a", a.json().get("instance").asText());
        assertEquals(200, AdminHttp.as(null).get("/admin/streams/health?instance=all").status());
    }

    @Test
    void everyOtherAdminCallIsForbiddenAndNamesAdminToken() {
        String key = Keys.sendStream("open-a");
        TestStreams.add(key, TestStreams.payload("o-1", "447700900301", "hi"));
        TestStreams.add(Keys.deadLetters("open-a"), "{\"final_error\":\"x\"}");
        List<AdminRoutes.Route> routes = AdminRoutes.admin(context).stream()
                .filter(r -> !(r.method().equals("GET") && r.path().equals("/admin/streams/health"))).toList();
        assertTrue(routes.size() >= 10, "admin routes found: " + routes);
        for (AdminRoutes.Route r : routes) {
            for (AdminHttp caller : List.of(AdminHttp.as(null), AdminHttp.as("anything"))) {
                AdminHttp.Answer a = caller.send(r.method(), r.sample() + "?confirm=true",
                        r.method().equals("POST") ? "{\"all\":true}" : null);
                assertEquals(403, a.status(), r + " answered " + a.body());
                JsonNode body = a.json();
                assertEquals("admin_disabled", body.get("error").asText());
                assertTrue(body.get("message").asText().contains("ADMIN_TOKEN"), body.toString());
            }
        }
        assertEquals(1, TestStreams.xlen(key), "nothing was reset");
        assertEquals(1, TestStreams.xlen(Keys.deadLetters("open-a")), "nothing was purged");
    }
}
