package io.whatsappqueue.api;

import java.util.Map;

import io.whatsappqueue.admin.AdminHttp;
import io.whatsappqueue.config.AppConfiguration;
import io.whatsappqueue.support.TestApp;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Without API_TOKEN the API is closed: every /api call answers 403 naming API_TOKEN, whatever token is sent. */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiWithoutTokenTest {
    @RegisterExtension
    static final TestApp APP = TestApp.web("clinic-api-closed").with(Map.of("WA_ROLE", "all"));

    @Test
    void everyApiCallAnswers403NamingApiToken() {
        String body = "{\"instance\":\"clinic-api-closed\",\"to\":\"447700900311\",\"text\":\"hi\"}";
        for (AdminHttp client : new AdminHttp[] {AdminHttp.as(null), AdminHttp.as("anything-at-all"),
                AdminHttp.as(TestApp.ADMIN_TOKEN)}) {
            ApiSendTest.assertRefused(client.post("/api/messages", body), 403, "api_disabled", "API_TOKEN");
            ApiSendTest.assertRefused(client.get("/api/messages/api-1"), 403, "api_disabled", "API_TOKEN");
            ApiSendTest.assertRefused(client.delete("/api/messages/api-1"), 403, "api_disabled", "API_TOKEN");
        }
    }
}
