package io.whatsappqueue.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.support.TestApp;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without ADMIN_TOKEN the console is closed: every page answers 403 saying ADMIN_TOKEN must be set. */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleWithoutTokenTest {
    @RegisterExtension
    static final TestApp APP = TestApp.web("con-notoken").with("ADMIN_TOKEN", null);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyConsolePageAnswers403NamingAdminToken() throws Exception {
        for (String path : new String[] {"/console", "/console/overview.json", "/console/instances/con-notoken"}) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(APP.url(path))));
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(r.body()).as(path).contains("ADMIN_TOKEN is not set");
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).isPresent();
        }
    }

    @Test
    void noTokenLogsIn() throws Exception {
        for (String token : new String[] {"", "anything"}) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(APP.url("/console/login")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + token)));
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        }
    }
}
