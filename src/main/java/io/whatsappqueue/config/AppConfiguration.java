package io.whatsappqueue.config;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import io.whatsappqueue.admin.AdminAccess;
import io.whatsappqueue.admin.AdminErrors;
import io.whatsappqueue.admin.AdminInstances;
import io.whatsappqueue.admin.AdminSettings;
import io.whatsappqueue.admin.ChatAdmin;
import io.whatsappqueue.admin.ChatControls;
import io.whatsappqueue.admin.DeadLetterBrowser;
import io.whatsappqueue.admin.DeadLetterPurge;
import io.whatsappqueue.admin.DeadLetterReplay;
import io.whatsappqueue.admin.GroupResets;
import io.whatsappqueue.admin.OpenApiDocument;
import io.whatsappqueue.admin.PendingClaims;
import io.whatsappqueue.admin.StreamHealth;
import io.whatsappqueue.evolution.EvolutionRequests;
import io.whatsappqueue.evolution.EvolutionSendResult;
import io.whatsappqueue.inbound.InboundBeans;
import io.whatsappqueue.observe.EvolutionHealthCheck;
import io.whatsappqueue.observe.JolokiaAccess;
import io.whatsappqueue.observe.MessageEvents;
import io.whatsappqueue.observe.QueueGauges;
import io.whatsappqueue.observe.RedisHealthCheck;
import io.whatsappqueue.observe.StreamConsumersHealthCheck;
import io.whatsappqueue.observe.WaMetrics;
import io.whatsappqueue.ratelimit.TokenBucket;
import io.whatsappqueue.redis.EmbeddedRedis;
import io.whatsappqueue.redis.RedisConnector;
import io.whatsappqueue.sandbox.SandboxEvolution;
import io.whatsappqueue.send.DeadLetters;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.send.OwnSends;
import io.whatsappqueue.send.ReplyQueue;
import io.whatsappqueue.send.SendGate;
import io.whatsappqueue.send.SentMarkers;
import io.whatsappqueue.stream.ConsumerLiveness;
import io.whatsappqueue.stream.StreamStore;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds every bean once and binds it (CAMEL_NOTES §3: factory methods with injected parameters ran more
 * than once). Validates the settings first, so a bad value stops start-up before anything is started.
 */
public class AppConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(AppConfiguration.class);

    @Override
    public void configure(CamelContext ctx) {
        try {
            build(ctx);
        } catch (RuntimeException e) {
            io.whatsappqueue.StartupFailures.record(e);
            throw e;
        }
    }

    private void build(CamelContext ctx) {
        PropertiesComponent pc = ctx.getPropertiesComponent();
        Function<String, String> source = EnvironmentText.settingsSource(pc);
        Settings settings = Settings.load(source);
        settings.checkPortsFree();
        publishDerivedProperties(pc, settings);
        configureHttpClient(ctx, settings);

        EmbeddedRedis embedded = settings.redisUrl == null ? EmbeddedRedis.start(settings.dataDir) : null;
        String url = embedded != null ? embedded.url() : settings.redisUrl;
        RedissonClient redis;
        try {
            int pool = 16 + 2 * settings.instances.size() * (1 + settings.sendConcurrency);
            redis = RedisConnector.connect(url, Math.min(pool, 256));
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
        addShutdown(ctx, redis, embedded);

        Registry r = ctx.getRegistry();
        r.bind("settings", settings);
        r.bind("platform-http-engine", new PortBoundHttpEngine(settings.port));
        r.bind("redisson", redis);
        ConsumerLiveness liveness = new ConsumerLiveness(redis);
        r.bind("consumerLiveness", liveness);
        StreamStore streams = new StreamStore(redis, liveness);
        r.bind("streamStore", streams);
        bindSending(r, settings, redis);
        bindObservability(ctx, r, pc, settings, redis, streams, liveness);
        bindAdmin(r, source, settings, redis, liveness);
        InboundBeans.bind(ctx, settings, redis);

        LOG.info("whatsapp-queue: role={}, instances={}, redis={}, evolution={}", settings.role.name().toLowerCase(),
                settings.instances, embedded != null ? "embedded " + url : RedisConnector.redact(url),
                settings.sandbox() ? "sandbox (EVOLUTION_SERVER_URL unset)" : settings.evolutionUrl);
        if (settings.webhookToken == null && settings.role.runsWeb()) {
            LOG.warn("WEBHOOK_TOKEN is unset: the webhook accepts unauthenticated requests");
        }
    }

    /** The send route's steps (routes/send.camel.yaml, dead-letter.camel.yaml, sandbox.camel.yaml). */
    private static void bindSending(Registry r, Settings settings, RedissonClient redis) {
        r.bind("replyQueue", new ReplyQueue(redis, settings.streamMaxLen));
        r.bind("outboundMessages", new OutboundMessages());
        OwnSends ownSends = new OwnSends(redis, Duration.ofSeconds(settings.echoExpectTtlSeconds));
        r.bind("ownSends", ownSends);
        r.bind("sentMarkers", new SentMarkers(redis, ownSends));
        r.bind("deadLetters", new DeadLetters(redis));
        r.bind("tokenBucket", new TokenBucket(redis, settings.tokensPerSecond, settings.bucketCapacity));
        r.bind("sendGate", new SendGate(redis, settings.outageThreshold, settings.maxBackoffMs()));
        r.bind("evolutionRequests", new EvolutionRequests(settings.sendDelayMs));
        r.bind("evolutionSendResult", new EvolutionSendResult());
        r.bind("sandboxEvolution", new SandboxEvolution(redis));
    }

    /** Metrics in the registry Camel scrapes, health checks, and Jolokia (read-only unless logged in). */
    private static void bindObservability(CamelContext ctx, Registry r, PropertiesComponent pc, Settings settings,
                                          RedissonClient redis, StreamStore streams, ConsumerLiveness liveness) {
        MeterRegistry meters = r.lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        WaMetrics metrics = new WaMetrics(meters);
        r.bind("waMetrics", metrics);
        r.bind("messageEvents", new MessageEvents(metrics));
        new QueueGauges(redis, streams, liveness).register(meters, settings.instances);
        r.bind("redisHealth", new RedisHealthCheck(redis));
        r.bind("streamConsumersHealth", new StreamConsumersHealthCheck(ctx));
        r.bind("evolutionHealth", new EvolutionHealthCheck(redis, settings.instances));

        String user = pc.resolveProperty("JOLOKIA_USER").filter(v -> !v.isBlank()).orElse(null);
        String password = pc.resolveProperty("JOLOKIA_PASSWORD").filter(v -> !v.isBlank()).orElse(null);
        if ((user == null) != (password == null)) {
            throw new ConfigException("JOLOKIA_USER and JOLOKIA_PASSWORD must be set together");
        }
        // under the plugin's id, so the management server takes ours instead of Camel's fixed-policy one
        r.bind(JolokiaPlatformHttpPlugin.NAME, new JolokiaAccess(
                pc.resolveProperty("camel.management.jolokiaPath").orElse("/observe/jolokia"), user, password));
    }

    /** The admin API's steps (routes/admin.camel.yaml) and the chat controls the reply and send routes share. */
    private static void bindAdmin(Registry r, Function<String, String> source, Settings settings,
                                  RedissonClient redis, ConsumerLiveness liveness) {
        AdminSettings admin = AdminSettings.load(source);
        AdminInstances instances = new AdminInstances(settings.instances);
        ChatControls chatControls = new ChatControls(redis, admin.optOutKeywords, admin.optInKeywords);
        r.bind("chatControls", chatControls);
        r.bind("adminAccess", new AdminAccess(settings.adminToken));
        r.bind("adminErrors", new AdminErrors());
        r.bind("streamHealth", new StreamHealth(redis, instances, admin, liveness, settings.streamMaxLen));
        r.bind("groupResets", new GroupResets(redis, instances));
        r.bind("pendingClaims", new PendingClaims(redis, instances, liveness, settings.claimIdleMs));
        r.bind("deadLetterBrowser", new DeadLetterBrowser(redis, instances));
        r.bind("deadLetterReplay", new DeadLetterReplay(redis, instances, settings.streamMaxLen));
        r.bind("deadLetterPurge", new DeadLetterPurge(redis, instances));
        r.bind("chatAdmin", new ChatAdmin(chatControls, instances));
        r.bind("openApiDocument", new OpenApiDocument());
    }

    /** Values the routes read as {{placeholders}} that are derived from the settings. */
    private static void publishDerivedProperties(PropertiesComponent pc, Settings s) {
        pc.addOverrideProperty("wa.web.enabled", String.valueOf(s.role.runsWeb()));
        pc.addOverrideProperty("wa.worker.enabled", String.valueOf(s.role.runsWorker()));
        pc.addOverrideProperty("wa.sandbox.enabled", String.valueOf(s.sandbox()));
        pc.addOverrideProperty("wa.evolution.base-url", s.evolutionBaseUrl());
        pc.addOverrideProperty("wa.instances", String.join(",", s.instances));
        pc.addOverrideProperty("wa.backoff.base-ms", String.valueOf(Math.round(s.baseBackoffSeconds * 1000)));
        pc.addOverrideProperty("wa.backoff.max-ms", String.valueOf(s.maxBackoffMs()));
    }

    /** One pooled HTTP client for every Evolution call; only 2xx counts, redirects are not followed. */
    private static void configureHttpClient(CamelContext ctx, Settings s) {
        HttpComponent http = ctx.getComponent("http", HttpComponent.class);
        http.setConnectTimeout(Math.min(5000, s.evolutionTimeoutMs));
        http.setConnectionRequestTimeout(s.evolutionTimeoutMs);
        http.setResponseTimeout(s.evolutionTimeoutMs);
        http.setSoTimeout(s.evolutionTimeoutMs);
        http.setMaxTotalConnections(Math.max(50, s.instances.size() * s.sendConcurrency * 2));
        http.setConnectionsPerRoute(Math.max(20, s.instances.size() * s.sendConcurrency * 2));
        http.setFollowRedirects(false);
        http.setRedirectHandlingDisabled(true);
        http.setAutomaticRetriesDisabled(true);
        http.setCookieManagementDisabled(true);
    }

    /** Redis goes last: after Camel stopped the routes and let in-flight messages finish. */
    private static void addShutdown(CamelContext ctx, RedissonClient redis, EmbeddedRedis embedded) {
        try {
            ctx.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    redis.shutdown(0, 2, TimeUnit.SECONDS);
                    if (embedded != null) {
                        embedded.close();
                    }
                }
            }, true, true);
        } catch (Exception e) {
            redis.shutdown(0, 2, TimeUnit.SECONDS);
            if (embedded != null) {
                embedded.close();
            }
            throw new IllegalStateException("could not register the Redis shutdown", e);
        }
    }
}
