package io.whatsappqueue.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.whatsappqueue.support.FakeEvolution;
import io.whatsappqueue.support.TestApp;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInstance;

/**
 * The HTTP edge against real sockets: clients that send their headers or body byte by byte, or connect and
 * say nothing, are closed within the configured timeouts; connections beyond the cap are closed at once; a
 * normal request still succeeds meanwhile.
 */
@CamelMainTest(configurationClasses = AppConfiguration.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientsTest {
    private static final long HEADER_MS = 1000;
    private static final long BODY_MS = 1000;
    private static final int IDLE_S = 3;
    private static final int MAX_CONNECTIONS = 45;
    private static final long SLACK_MS = 1500;

    @RegisterExtension
    static final TestApp APP = TestApp.worker("edge").with(Map.of("WA_ROLE", "all",
            "WA_HTTP_HEADER_TIMEOUT_MS", String.valueOf(HEADER_MS), "WA_HTTP_BODY_TIMEOUT_MS", String.valueOf(BODY_MS),
            "WA_HTTP_IDLE_TIMEOUT_S", String.valueOf(IDLE_S), "WA_HTTP_MAX_CONNECTIONS", String.valueOf(MAX_CONNECTIONS)));

    private ScheduledExecutorService drip;
    private final List<Client> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void startDripping() {
        drip = Executors.newScheduledThreadPool(4);
    }

    @AfterEach
    void closeClients() {
        drip.shutdownNow();
        clients.forEach(Client::close);
        clients.clear();
    }

    /** A raw socket that sends {@code prefix} at once, then {@code bytes} one every 100 ms, and notes when the server closed it. */
    private final class Client {
        final Socket socket;
        final long openedAt = System.currentTimeMillis();
        volatile long closedAt;
        volatile String answer = "";

        Client(int port, byte[] bytes) throws IOException {
            this(port, new byte[0], bytes);
        }

        Client(int port, byte[] prefix, byte[] bytes) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5);
            socket.getOutputStream().write(prefix);
            int[] next = {0};
            drip.scheduleWithFixedDelay(() -> step(bytes, next), 0, 100, TimeUnit.MILLISECONDS);
            clients.add(this);
        }

        private void step(byte[] bytes, int[] next) {
            if (closedAt != 0) {
                return;
            }
            try {
                OutputStream out = socket.getOutputStream();
                if (next[0] < bytes.length) {
                    out.write(bytes[next[0]++]);
                    out.flush();
                }
                InputStream in = socket.getInputStream();
                byte[] buf = new byte[512];
                int n = in.read(buf);
                if (n < 0) {
                    closedAt = System.currentTimeMillis();
                } else {
                    answer += new String(buf, 0, n, StandardCharsets.US_ASCII);
                }
            } catch (SocketTimeoutException e) {
                // nothing to read yet: the connection is still open
            } catch (IOException e) {
                closedAt = System.currentTimeMillis();
            }
        }

        boolean closed() {
            return closedAt != 0;
        }

        long openMs() {
            return closedAt - openedAt;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static int port() {
        return Integer.parseInt(System.getProperty("PORT"));
    }

    private static int normalRequest() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port()
                + "/admin/streams/health?instance=edge")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static byte[] endlessHeaders() {
        StringBuilder s = new StringBuilder("GET /admin/streams/health HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 200; i++) {
            s.append("X-Slow-").append(i).append(": ").append(i).append("\r\n");
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void thirtyClientsSendingHeadersByteByByteAreClosedWithinTheHeaderTimeoutWhileANormalRequestSucceeds() throws Exception {
        for (int i = 0; i < 30; i++) {
            new Client(port(), endlessHeaders());
        }
        assertThat(normalRequest()).isEqualTo(200);
        await().atMost(Duration.ofMillis(HEADER_MS + SLACK_MS + 1000)).until(() -> clients.stream().allMatch(Client::closed));
        for (Client c : clients) {
            assertThat(c.openMs()).as("open for").isLessThanOrEqualTo(HEADER_MS + SLACK_MS);
            // a 408 when the client reads it before the close (a client still sending may see a reset first)
            assertThat(c.answer.isEmpty() || c.answer.startsWith("HTTP/1.1 408")).as(c.answer).isTrue();
        }
        assertThat(normalRequest()).isEqualTo(200);
    }

    @Test
    void aClientSendingItsBodyByteByByteIsClosedWithinTheBodyTimeout() throws Exception {
        String headers = "POST /webhooks/evolution HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 500\r\n\r\n";
        Client slow = new Client(port(), headers.getBytes(StandardCharsets.US_ASCII),
                ("{\"event\":\"" + "x".repeat(480)).getBytes(StandardCharsets.US_ASCII));
        await().atMost(Duration.ofMillis(BODY_MS + SLACK_MS + 1000)).until(slow::closed);
        assertThat(slow.openMs()).isLessThanOrEqualTo(BODY_MS + SLACK_MS);
        assertThat(slow.answer.isEmpty() || slow.answer.startsWith("HTTP/1.1 408")).as(slow.answer).isTrue();
        assertThat(normalRequest()).isEqualTo(200);
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        Client silent = new Client(port(), new byte[0]);
        await().atMost(Duration.ofSeconds(IDLE_S).plusMillis(SLACK_MS + 1000)).until(silent::closed);
        assertThat(silent.openMs()).isGreaterThanOrEqualTo(IDLE_S * 1000L - 200);
    }

    @Test
    void connectionsBeyondTheCapAreClosedAtOnceAndServiceResumesWhenOthersLeave() throws Exception {
        // other tests' keep-alive connections may still count, so judge the total: never more than the cap open
        for (int i = 0; i < MAX_CONNECTIONS + 5; i++) {
            new Client(port(), new byte[0]);
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> clients.stream().filter(Client::closed).count() >= 5);
        List<Client> refused = clients.stream().filter(Client::closed).toList();
        assertThat(clients.size() - refused.size()).as("connections kept open").isLessThanOrEqualTo(MAX_CONNECTIONS);
        assertThat(refused).allMatch(c -> c.openMs() < 1000, "closed at once");
        clients.forEach(Client::close);
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> normalRequest() == 200);
    }
}
