package io.whatsappqueue.observe;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.support.service.ServiceSupport;
import io.whatsappqueue.logging.SecretValues;
import org.jolokia.json.JSONStructure;
import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.config.StaticConfiguration;
import org.jolokia.server.core.http.HttpRequestHandler;
import org.jolokia.server.core.request.EmptyResponseException;
import org.jolokia.server.core.restrictor.AllowAllRestrictor;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.JolokiaServiceManagerFactory;
import org.jolokia.server.core.service.api.JolokiaServiceManager;
import org.jolokia.server.core.service.api.LogHandler;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.service.jmx.LocalRequestHandler;
import org.jolokia.service.serializer.JolokiaSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jolokia on the management server's {@code /observe/jolokia}: read-only unless authenticated. Anonymous
 * requests are answered under {@code jolokia-access.xml} (read, list, search, version and Camel's route
 * dumps that Hawtio draws from); a request carrying JOLOKIA_USER / JOLOKIA_PASSWORD as HTTP basic auth gets
 * full access, so an operator's Hawtio can stop or start a route and nobody else can. Replaces Camel's own
 * plugin (bound under the plugin id), whose single, fixed policy cannot tell the two apart. Every answer, to
 * either, is scrubbed of the configured secret values ({@link SecretValues}): MBeans (route dumps with
 * placeholders resolved, the JVM's system properties, a traced message's headers) may hold one.
 */
public final class JolokiaAccess extends ServiceSupport implements JolokiaPlatformHttpPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(JolokiaAccess.class);
    private static final String POLICY = "/jolokia-access.xml";

    private final String mountPath;
    private final byte[] expectedAuthorization;
    private CamelContext camelContext;
    private JolokiaServiceManager readOnlyManager;
    private JolokiaServiceManager fullManager;
    private HttpRequestHandler readOnly;
    private HttpRequestHandler full;

    /** {@code user}/{@code password} null: no login exists, every caller is read-only. */
    public JolokiaAccess(String mountPath, String user, String password) {
        this.mountPath = mountPath;
        this.expectedAuthorization = user == null || password == null ? null
                : ("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                        .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String getId() {
        return NAME;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    protected void doStart() throws Exception {
        readOnlyManager = manager("whatsapp-queue-read-only", readOnlyPolicy());
        readOnly = new HttpRequestHandler(readOnlyManager.start());
        if (expectedAuthorization != null) {
            fullManager = manager("whatsapp-queue-operator", new AllowAllRestrictor());
            full = new HttpRequestHandler(fullManager.start());
        }
        LOG.info("Jolokia on {}: read-only{}", mountPath,
                expectedAuthorization == null ? " (set JOLOKIA_USER and JOLOKIA_PASSWORD for an operator login)"
                        : ", full access with the JOLOKIA_USER login");
    }

    @Override
    protected void doStop() {
        if (readOnlyManager != null) {
            readOnlyManager.stop();
        }
        if (fullManager != null) {
            fullManager.stop();
        }
    }

    @Override
    public Object getHandler() {
        Handler<RoutingContext> handler = this::handle;
        return handler;
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String authorization = req.getHeader("Authorization");
        HttpRequestHandler handler = readOnly;
        if (authorization != null && expectedAuthorization != null) {
            if (!MessageDigest.isEqual(expectedAuthorization, authorization.getBytes(StandardCharsets.UTF_8))) {
                ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"jolokia\"")
                        .putHeader("Content-Type", "application/json")
                        .end("{\"error\":\"unauthorized\",\"message\":\"wrong JOLOKIA_USER login\"}");
                return;
            }
            handler = full;
        }
        try {
            String host = req.remoteAddress() == null ? null : req.remoteAddress().host();
            handler.checkAccess(req.scheme(), host, host, origin(req));
            JSONStructure answer;
            if (req.method() == HttpMethod.POST) {
                byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
                try (InputStream in = new ByteArrayInputStream(body)) {
                    answer = handler.handlePostRequest(req.uri(), in, StandardCharsets.UTF_8.name(), params(req));
                }
            } else {
                answer = handler.handleGetRequest(req.uri(), pathInfo(req.path()), params(req));
            }
            ctx.response().putHeader("Content-Type", "application/json").end(SecretValues.scrub(answer.toJSONString()));
        } catch (SecurityException e) {
            ctx.response().setStatusCode(403).putHeader("Content-Type", "application/json")
                    .end(SecretValues.scrub("{\"error\":\"forbidden\",\"message\":\"" + e.getMessage().replace("\"", "'") + "\"}"));
        } catch (EmptyResponseException e) {
            ctx.response().end();
        } catch (IOException | RuntimeException e) {
            ctx.response().putHeader("Content-Type", "application/json")
                    .end(SecretValues.scrub(handler.handleThrowable(e).toJSONString()));
        }
    }

    /** The part after the mount path, decoded as a servlet's path info is ({@code %22} is a quote). */
    private String pathInfo(String rawPath) {
        String p = rawPath.startsWith(mountPath) ? rawPath.substring(mountPath.length()) : rawPath;
        return java.net.URLDecoder.decode(p.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String origin(HttpServerRequest req) {
        String o = req.getHeader("Origin");
        if (o == null) {
            o = req.getHeader("Referer");
        }
        return o == null ? null : o.replaceAll("[\\n\\r]*", "");
    }

    private static Map<String, String[]> params(HttpServerRequest req) {
        Map<String, String[]> out = new HashMap<>();
        for (String name : req.params().names()) {
            List<String> values = req.params().getAll(name);
            out.put(name, values.toArray(new String[0]));
        }
        return out;
    }

    private JolokiaServiceManager manager(String agentId, Restrictor restrictor) {
        StaticConfiguration config = new StaticConfiguration(ConfigKey.AGENT_ID, agentId);
        JolokiaServiceManager m = JolokiaServiceManagerFactory.createJolokiaServiceManager(config, new Slf4jLog(), restrictor);
        m.addService(new JolokiaSerializer());
        m.addService(new LocalRequestHandler(0));
        return m;
    }

    private static Restrictor readOnlyPolicy() throws IOException {
        try (InputStream in = JolokiaAccess.class.getResourceAsStream(POLICY)) {
            if (in == null) {
                throw new IllegalStateException("missing " + POLICY + ": refusing to expose Jolokia without a policy");
            }
            return new PolicyRestrictor(in);
        }
    }

    private static final class Slf4jLog implements LogHandler {
        private static final Logger JOLOKIA = LoggerFactory.getLogger("org.jolokia");

        @Override
        public void debug(String message) {
            JOLOKIA.debug(message);
        }

        @Override
        public void info(String message) {
            JOLOKIA.debug(message);
        }

        @Override
        public void error(String message, Throwable t) {
            JOLOKIA.warn(message, t);
        }

        @Override
        public boolean isDebug() {
            return JOLOKIA.isDebugEnabled();
        }
    }
}
