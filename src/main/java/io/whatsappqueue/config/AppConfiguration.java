package io.whatsappqueue.config;

import java.util.concurrent.TimeUnit;

import io.whatsappqueue.evolution.EvolutionRequests;
import io.whatsappqueue.evolution.EvolutionSendResult;
import io.whatsappqueue.ratelimit.TokenBucket;
import io.whatsappqueue.redis.EmbeddedRedis;
import io.whatsappqueue.redis.RedisConnector;
import io.whatsappqueue.sandbox.SandboxEvolution;
import io.whatsappqueue.send.DeadLetters;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.send.ReplyQueue;
import io.whatsappqueue.send.SendGate;
import io.whatsappqueue.send.SentMarkers;
import io.whatsappqueue.stream.StreamStore;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
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
        Settings settings = Settings.load(name -> pc.resolveProperty(name).orElse(null));
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
        io.whatsappqueue.stream.ConsumerLiveness liveness = new io.whatsappqueue.stream.ConsumerLiveness(redis);
        r.bind("consumerLiveness", liveness);
        r.bind("streamStore", new StreamStore(redis, liveness));
        r.bind("replyQueue", new ReplyQueue(redis, settings.streamMaxLen));
        r.bind("outboundMessages", new OutboundMessages());
        r.bind("sentMarkers", new SentMarkers(redis));
        r.bind("deadLetters", new DeadLetters(redis));
        r.bind("tokenBucket", new TokenBucket(redis, settings.tokensPerSecond, settings.bucketCapacity));
        r.bind("sendGate", new SendGate(redis, settings.outageThreshold, settings.maxBackoffMs()));
        r.bind("evolutionRequests", new EvolutionRequests(settings.sendDelayMs));
        r.bind("evolutionSendResult", new EvolutionSendResult());
        r.bind("sandboxEvolution", new SandboxEvolution(redis));
        io.micrometer.core.instrument.MeterRegistry meters =
                r.lookupByNameAndType("metricsRegistry", io.micrometer.core.instrument.MeterRegistry.class);
        io.whatsappqueue.observe.WaMetrics metrics = new io.whatsappqueue.observe.WaMetrics(meters);
        r.bind("waMetrics", metrics);
        r.bind("messageEvents", new io.whatsappqueue.observe.MessageEvents(metrics));
        io.whatsappqueue.observe.QueueGauges gauges = new io.whatsappqueue.observe.QueueGauges(redis,
                r.lookupByNameAndType("streamStore", StreamStore.class), liveness);
        gauges.register(meters, settings.instances);
        r.bind("redisHealth", new io.whatsappqueue.observe.RedisHealthCheck(redis));
        r.bind("streamConsumersHealth", new io.whatsappqueue.observe.StreamConsumersHealthCheck(ctx));
        r.bind("evolutionHealth", new io.whatsappqueue.observe.EvolutionHealthCheck(redis, settings.instances));
        if (pc.resolveProperty("JOLOKIA_USER").filter(v -> !v.isBlank()).isPresent()
                != pc.resolveProperty("JOLOKIA_PASSWORD").filter(v -> !v.isBlank()).isPresent()) {
            throw new ConfigException("JOLOKIA_USER and JOLOKIA_PASSWORD must be set together");
        }
        // under the plugin's id, so the management server takes ours instead of Camel's fixed-policy one
        r.bind(org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin.NAME,
                new io.whatsappqueue.observe.JolokiaAccess(pc.resolveProperty("camel.management.jolokiaPath").orElse("/observe/jolokia"),
                        pc.resolveProperty("JOLOKIA_USER").filter(v -> !v.isBlank()).orElse(null),
                        pc.resolveProperty("JOLOKIA_PASSWORD").filter(v -> !v.isBlank()).orElse(null)));
        io.whatsappqueue.admin.AdminSettings admin = io.whatsappqueue.admin.AdminSettings.load(
                name -> pc.resolveProperty(name).orElse(null));
        io.whatsappqueue.admin.AdminInstances adminInstances = new io.whatsappqueue.admin.AdminInstances(settings.instances);
        io.whatsappqueue.admin.ChatControls chatControls = new io.whatsappqueue.admin.ChatControls(redis,
                admin.optOutKeywords, admin.optInKeywords);
        r.bind("chatControls", chatControls);
        r.bind("adminAccess", new io.whatsappqueue.admin.AdminAccess(settings.adminToken));
        r.bind("adminErrors", new io.whatsappqueue.admin.AdminErrors());
        r.bind("streamHealth", new io.whatsappqueue.admin.StreamHealth(redis, adminInstances, admin, liveness,
                settings.streamMaxLen));
        r.bind("groupResets", new io.whatsappqueue.admin.GroupResets(redis, adminInstances));
        r.bind("pendingClaims", new io.whatsappqueue.admin.PendingClaims(redis, adminInstances, liveness,
                settings.claimIdleMs));
        r.bind("deadLetterBrowser", new io.whatsappqueue.admin.DeadLetterBrowser(redis, adminInstances));
        r.bind("deadLetterReplay", new io.whatsappqueue.admin.DeadLetterReplay(redis, adminInstances,
                settings.streamMaxLen));
        r.bind("deadLetterPurge", new io.whatsappqueue.admin.DeadLetterPurge(redis, adminInstances));
        r.bind("chatAdmin", new io.whatsappqueue.admin.ChatAdmin(chatControls, adminInstances));
        r.bind("openApiDocument", new io.whatsappqueue.admin.OpenApiDocument());
        io.whatsappqueue.inbound.InboundBeans.bind(ctx, settings, redis);

        LOG.info("whatsapp-queue: role={}, instances={}, redis={}, evolution={}", settings.role.name().toLowerCase(),
                settings.instances, embedded != null ? "embedded " + url : RedisConnector.redact(url),
                settings.sandbox() ? "sandbox (EVOLUTION_SERVER_URL unset)" : settings.evolutionUrl);
        if (settings.webhookToken == null && settings.role.runsWeb()) {
            LOG.warn("WEBHOOK_TOKEN is unset: the webhook accepts unauthenticated requests");
        }
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
