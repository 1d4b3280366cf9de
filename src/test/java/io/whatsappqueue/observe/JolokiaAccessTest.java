package io.whatsappqueue.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.support.TestApp;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /observe/jolokia is read-only unless the request carries the JOLOKIA_USER login; then an operator may act. */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JolokiaAccessTest {
    @RegisterExtension
    static final TestApp APP = TestApp.worker("clinic-jmx").with(Map.of(
            "JOLOKIA_USER", "ops", "JOLOKIA_PASSWORD", "op-secret-9"));
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ROUTE = "org.apache.camel:context=whatsapp-queue,type=routes,name=%22dead-letter%22";

    private static HttpResponse<String> get(String path, String login) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(APP.managementUrl("/observe/jolokia" + path))).timeout(Duration.ofSeconds(10));
        if (login != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anonymousCallersReadButCannotStopARoute() throws Exception {
        assertThat(get("/read/" + ROUTE + "/State", null).body()).contains("\"value\":\"Started\"");
        String refused = get("/exec/" + ROUTE + "/stop()", null).body();
        assertThat(refused).contains("forbidden").contains("\"status\":403");
        assertThat(get("/read/" + ROUTE + "/State", null).body()).contains("\"value\":\"Started\"");
        // Hawtio's route diagram comes from a read-only dump, which stays allowed
        assertThat(get("/exec/org.apache.camel:context=whatsapp-queue,type=context,name=%22whatsapp-queue%22/dumpRoutesAsXml()", null).body())
                .contains("dead-letter").contains("\"status\":200");
    }

    @Test
    void aBulkPostAsHawtioSendsIsAnsweredUnderTheSameRules() throws Exception {
        String bulk = "[{\"type\":\"read\",\"mbean\":\"org.apache.camel:context=whatsapp-queue,type=routes,name=\\\"dead-letter\\\"\",\"attribute\":\"State\"},"
                + "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=whatsapp-queue,type=routes,name=\\\"dead-letter\\\"\",\"operation\":\"stop()\"}]";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(APP.managementUrl("/observe/jolokia"))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(bulk)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).contains("\"value\":\"Started\"").contains("forbidden");
    }

    @Test
    void aWrongLoginIsRefusedAndTheOperatorLoginMayStopAndStartARoute() throws Exception {
        assertThat(get("/version", "ops:wrong").statusCode()).isEqualTo(401);
        assertThat(get("/exec/" + ROUTE + "/stop()", "ops:op-secret-9").body()).contains("\"status\":200");
        assertThat(get("/read/" + ROUTE + "/State", null).body()).contains("\"value\":\"Stopped\"");
        assertThat(get("/exec/" + ROUTE + "/start()", "ops:op-secret-9").body()).contains("\"status\":200");
        assertThat(get("/read/" + ROUTE + "/State", null).body()).contains("\"value\":\"Started\"");
    }
}
