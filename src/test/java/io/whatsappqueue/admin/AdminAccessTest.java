package io.whatsappqueue.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.support.TestApp;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With ADMIN_TOKEN set, every /admin path answers 401 without the right bearer token (the previous system's
 * admin API was open for months). The paths come from the running routes, so a new one cannot be missed.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminAccessTest implements CamelContextAware {
    @RegisterExtension
    static final TestApp APP = TestApp.web("acc-a");

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
    void everyAdminPathRefusesCallsWithoutTheBearerToken() {
        List<AdminRoutes.Route> routes = AdminRoutes.admin(context);
        assertTrue(routes.size() >= 11, "admin routes found: " + routes);
        for (AdminRoutes.Route r : routes) {
            for (AdminHttp caller : List.of(AdminHttp.as(null), AdminHttp.as("wrong-token"), AdminHttp.as(""))) {
                AdminHttp.Answer a = caller.send(r.method(), r.sample() + "?instance=acc-a&confirm=true",
                        r.method().equals("POST") ? "{\"all\":true}" : null);
                assertEquals(401, a.status(), r + " answered " + a.body());
                JsonNode body = a.json();
                assertEquals("unauthorized", body.get("error").asText(), r.toString());
                assertTrue(body.get("message").asText().contains("ADMIN_TOKEN"), r.toString());
                assertEquals("application/json", a.header("Content-Type"));
                assertTrue(a.header("WWW-Authenticate").startsWith("Bearer"));
            }
        }
    }

    @Test
    void everyAdminPathAnswersWithTheBearerToken() {
        for (AdminRoutes.Route r : AdminRoutes.admin(context)) {
            AdminHttp.Answer a = AdminHttp.as(TestApp.ADMIN_TOKEN).send(r.method(), r.sample() + "?instance=acc-a",
                    r.method().equals("POST") ? "{\"all\":true}" : null);
            assertNotEquals(401, a.status(), r + " answered " + a.body());
            assertNotEquals(403, a.status(), r + " answered " + a.body());
            assertTrue(a.status() < 500, r + " answered " + a.body());
            assertNull(a.header("Authorization"), "request headers are not echoed back");
            a.json();
        }
    }

    @Test
    void aBasicAuthorizationHeaderIsNotABearerToken() {
        AdminHttp.Answer a = AdminHttp.as(null).send("GET", "/admin/streams/health", null);
        assertEquals(401, a.status());
        AdminHttp.Answer basic = AdminHttp.withHeader("Authorization", "Basic " + TestApp.ADMIN_TOKEN)
                .send("GET", "/admin/streams/dlq", null);
        assertEquals(401, basic.status());
        AdminHttp.Answer lowerCaseScheme = AdminHttp.withHeader("Authorization", "bearer " + TestApp.ADMIN_TOKEN)
                .send("GET", "/admin/streams/dlq", null);
        assertEquals(200, lowerCaseScheme.status());
    }

    @Test
    void unknownAdminPathsAndMethodsAnswerJson404And405LikeEveryOtherAdminError() {
        List<AdminRoutes.Route> routes = AdminRoutes.admin(context);
        for (AdminRoutes.Route r : routes) {
            java.util.Set<String> allowed = new java.util.TreeSet<>();
            routes.stream().filter(o -> o.path().equals(r.path())).forEach(o -> allowed.add(o.method()));
            for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
                if (allowed.contains(method)) {
                    continue;
                }
                AdminHttp.Answer a = AdminHttp.as(TestApp.ADMIN_TOKEN).send(method, r.sample() + "?instance=acc-a", null);
                assertEquals(405, a.status(), method + " " + r.sample() + " answered " + a.body());
                assertEquals("method_not_allowed", a.json().get("error").asText());
                assertTrue(a.json().get("message").asText().contains(method));
                assertEquals("application/json", a.header("Content-Type"));
                for (String m : allowed) {
                    assertTrue(a.header("Allow").contains(m), method + " " + r.sample() + " Allow: " + a.header("Allow"));
                }
            }
        }
        for (String path : List.of("/admin/nope", "/admin/streams/nope", "/admin/streams/health/extra", "/admin/",
                "/admin/chats/447700900123", "/admin/streams/dlq/replay/x")) {
            for (String method : List.of("GET", "POST", "DELETE")) {
                for (String token : java.util.Arrays.asList(TestApp.ADMIN_TOKEN, null)) {
                    AdminHttp.Answer a = AdminHttp.as(token).send(method, path, null);
                    assertEquals(404, a.status(), method + " " + path + " answered " + a.body());
                    assertEquals("not_found", a.json().get("error").asText());
                    assertEquals("application/json", a.header("Content-Type"));
                    assertTrue(!a.body().contains("447700900123"), "the path is not echoed: " + a.body());
                }
            }
        }
    }
}
