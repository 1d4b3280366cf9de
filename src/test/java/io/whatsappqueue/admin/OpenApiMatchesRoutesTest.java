package io.whatsappqueue.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.support.TestApp;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET /openapi.json tells the truth: every HTTP route the app serves is in it with its method, and every
 * operation in it is served, except webhook and sandbox paths another part of the product has not built yet.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiMatchesRoutesTest implements CamelContextAware {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    // role all in sandbox mode: every route of the product that can run here does
    @RegisterExtension
    static final TestApp APP = TestApp.web("oa-demo").with(Map.of("WA_ROLE", "all"));

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
    void theDocumentIsValidOpenApiServedWithoutAuthentication() {
        AdminHttp.Answer a = AdminHttp.as(null).get("/openapi.json");

        assertEquals(200, a.status());
        assertEquals("application/json", a.header("Content-Type"));
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(a.body(), null, null);
        assertEquals(List.of(), parsed.getMessages() == null ? List.of() : parsed.getMessages());
        assertEquals("3.0.3", parsed.getOpenAPI().getOpenapi());
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsServed() {
        Set<String> served = new TreeSet<>();
        AdminRoutes.all(context).forEach(r -> served.add(r.method() + " " + template(r.path())));
        Set<String> documented = documented(AdminHttp.as(null).get("/openapi.json").json());
        assertTrue(served.size() >= 15, "routes found: " + served);

        // the webhook route takes every method so it can answer anything but POST with a JSON 405
        AdminHttp.Answer get = AdminHttp.as(null).get("/webhooks/evolution");
        assertEquals(405, get.status());
        assertTrue(get.body().contains("\"error\""), get.body());
        served.removeIf(op -> op.endsWith(" /webhooks/evolution") && !op.startsWith("POST "));
        // the web console (routes/console.camel.yaml) is HTML pages for a browser, not part of the API
        served.removeIf(op -> op.contains(" /console"));

        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        assertEquals(Set.of(), undocumented, "served but not in openapi.yaml");

        Set<String> notServed = new TreeSet<>(documented);
        notServed.removeAll(served);
        // built by other parts of the product; once their routes exist they are held to the document too
        notServed.removeIf(op -> op.contains(" /webhooks/") || op.contains(" /sandbox/"));
        assertEquals(Set.of(), notServed, "in openapi.yaml but not served");
    }

    private static Set<String> documented(JsonNode doc) {
        Set<String> out = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            p.getValue().fieldNames().forEachRemaining(m -> {
                if (METHODS.contains(m)) {
                    out.add(m.toUpperCase(Locale.ROOT) + " " + template(p.getKey()));
                }
            });
        }
        return out;
    }

    /** Parameter names do not matter, their places do: /a/{x}/b and /a/{y}/b are the same path. */
    private static String template(String path) {
        return path.replaceAll("\\{[^}]*}", "{}");
    }
}
