package io.whatsappqueue.config;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import io.whatsappqueue.admin.AdminAccess;
import io.whatsappqueue.admin.AdminErrors;
import io.whatsappqueue.admin.AdminFallback;
import io.whatsappqueue.admin.AdminInstances;
import io.whatsappqueue.admin.AdminSettings;
import io.whatsappqueue.admin.ChatAdmin;
import io.whatsappqueue.admin.ChatControls;
import io.whatsappqueue.admin.DeadLetterBrowser;
import io.whatsappqueue.admin.DeadLetterPurge;
import io.whatsappqueue.admin.DeadLetterReplay;
import io.whatsappqueue.admin.GroupResets;
import io.whatsappqueue.admin.InstanceAdmin;
import io.whatsappqueue.admin.PendingClaims;
import io.whatsappqueue.admin.StreamHealth;
import io.whatsappqueue.api.ApiMessages;
import io.whatsappqueue.api.ApiSettings;
import io.whatsappqueue.api.DeliveryUpdates;
import io.whatsappqueue.api.MessageRequests;
import io.whatsappqueue.api.MessageStatuses;
import io.whatsappqueue.api.ScheduledMessages;
import io.whatsappqueue.api.SendStatuses;
import io.whatsappqueue.api.StatusCallbacks;
import io.whatsappqueue.console.ConsoleBeans;
import io.whatsappqueue.evolution.EvolutionRequests;
import io.whatsappqueue.evolution.EvolutionSendResult;
import io.whatsappqueue.inbound.InboundBeans;
import io.whatsappqueue.instances.ServedInstances;
import io.whatsappqueue.logging.SecretValues;
import io.whatsappqueue.observe.EvolutionHealthCheck;
import io.whatsappqueue.observe.JolokiaAccess;
import io.whatsappqueue.observe.MessageEvents;
import io.whatsappqueue.observe.QueueGauges;
import io.whatsappqueue.observe.RedisHealthCheck;
import io.whatsappqueue.observe.RequiredRoutesHealthCheck;
import io.whatsappqueue.observe.StreamConsumersHealthCheck;
import io.whatsappqueue.observe.WaMetrics;
import io.whatsappqueue.ratelimit.TokenBucket;
import io.whatsappqueue.redis.EmbeddedRedis;
import io.whatsappqueue.redis.KeyNamingCheck;
import io.whatsappqueue.redis.Keys;
import io.whatsappqueue.redis.RedisConnector;
import io.whatsappqueue.redis.RedisTarget;
import io.whatsappqueue.redis.ReplicaBarrier;
import io.whatsappqueue.sandbox.SandboxEvolution;
import io.whatsappqueue.send.DeadLetters;
import io.whatsappqueue.send.OutboundMessages;
import io.whatsappqueue.send.OwnSends;
import io.whatsappqueue.send.ReplyQueue;
import io.whatsappqueue.send.SendAdmission;
import io.whatsappqueue.send.SendEntryScripts;
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
    /** Settings that hold a phone number: Camel's start-up summary prints them as xxxxxx, like secrets (DESIGN §8). */
    private static final java.util.Set<String> PHONE_SETTINGS = java.util.Set.of("WA_HANDOFF_NOTIFY_TO");

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
        hideSecrets(ctx, pc);
        Function<String, String> source = EnvironmentText.settingsSource(pc);
        Settings settings = Settings.load(source);
        settings.checkPortsFree();
        checkRoutesReloadDirectory(pc);
        publishDerivedProperties(pc, settings);
        if (!settings.role.runsWeb()) {
            // the admin and API verbs are disabled in a worker (wa.web.enabled): no document to serve either
            ctx.getRestConfiguration().setApiContextPath(null);
        }
        // before any route exists: the tracer's route policy and the MDC service apply to routes as they are added
        io.whatsappqueue.tracing.Tracing.install(ctx, source, settings.role.name().toLowerCase(java.util.Locale.ROOT));
        Keys.useHashTags(settings.keyHashTags);
        configureHttpClient(ctx, settings);

        EmbeddedRedis embedded = settings.embeddedRedis() ? EmbeddedRedis.start(settings.dataDir) : null;
        RedisTarget target = RedisTarget.of(settings, embedded != null ? embedded.url() : null);
        RedissonClient redis;
        try {
            // independent of the number of instances: two blocking readers, the processing threads, timers, HTTP
            int pool = 16 + settings.sendConcurrency + settings.replyConcurrency;
            redis = RedisConnector.connect(target, Math.min(pool, 128));
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
        addShutdown(ctx, redis, embedded);
        try {
            bindAll(ctx, pc, source, settings, redis);
        } catch (RuntimeException e) {
            // a setting refused after Redis started (knowledge file, receptionist, API settings, ...): nothing may be
            // left running, least of all the embedded redis-server, which would outlive this JVM
            redis.shutdown(0, 2, TimeUnit.SECONDS);
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }

        LOG.info("whatsapp-queue: role={}, instances={}, redis={}, evolution={}", settings.role.name().toLowerCase(),
                settings.instances, embedded != null ? "embedded " + target : target,
                settings.sandbox() ? "sandbox (EVOLUTION_SERVER_URL unset)" : settings.evolutionUrl);
        if (settings.webhookToken == null && settings.role.runsWeb()) {
            LOG.warn("WEBHOOK_TOKEN is unset: the webhook accepts unauthenticated requests");
        }
    }

    /** Every bean of the service, bound once; throws ConfigException for a setting a bean refuses. */
    private void bindAll(CamelContext ctx, PropertiesComponent pc, Function<String, String> source, Settings settings,
                         RedissonClient redis) {
        Registry r = ctx.getRegistry();
        r.bind("settings", settings);
        r.bind("credentials", new Credentials(settings.evolutionApiKey, settings.webhookToken));
        r.bind("platform-http-engine", new PortBoundHttpEngine(settings.port));
        bindHttpEdge(ctx, r, pc, settings.port);
        r.bind("redisson", redis);
        ConsumerLiveness liveness = new ConsumerLiveness(redis);
        r.bind("consumerLiveness", liveness);
        ReplicaBarrier replicas = new ReplicaBarrier(redis, settings.redisWaitReplicas, settings.redisWaitTimeoutMs);
        r.bind("replicaBarrier", replicas);
        StreamStore streams = new StreamStore(redis, replicas);
        r.bind("streamStore", streams);
        ServedInstances served = startServedInstances(ctx, settings, redis);
        KeyNamingCheck.warnAboutStrandedEntries(redis, served.instances());
        r.bind("servedInstances", served);
        bindSending(r, settings, redis);
        bindObservability(ctx, r, pc, settings, redis, streams, liveness, served);
        bindAdmin(r, source, settings, redis, liveness, served);
        answerUnknownAdminCalls(ctx, settings);
        ConsoleBeans.bind(r, source, redis);
        // the one clock of every time-of-day decision (opening hours); a test binds a fixed one before this runs
        if (r.lookupByNameAndType("clock", java.time.Clock.class) == null) {
            r.bind("clock", java.time.Clock.systemUTC());
        }
        InboundBeans.bind(ctx, settings, redis);
        bindApi(ctx, pc, source, settings, redis, streams, served);
    }

    /**
     * No secret value leaves the process: every setting whose name marks it secret ({@link SecretValues}) is
     * learnt by the log and Jolokia scrubber, and named to Camel as sensitive, so its own start-up summary
     * prints it as xxxxxx.
     */
    private static void hideSecrets(CamelContext ctx, PropertiesComponent pc) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (String name : pc.loadProperties().stringPropertyNames()) {
            pc.resolveProperty(name).ifPresent(value -> SecretValues.learn(name, value));
            if (SecretValues.isSecretName(name) || PHONE_SETTINGS.contains(name)) {
                names.add(name.toLowerCase(java.util.Locale.ROOT));
            }
        }
        String already = ctx.getCamelContextExtension().getAdditionalSensitiveKeywords();
        if (already != null && !already.isBlank()) {
            names.add(already);
        }
        ctx.getCamelContextExtension().setAdditionalSensitiveKeywords(String.join(",", names));
    }

    /**
     * The Vert.x both HTTP servers run on, with request-header, body and idle timeouts and a connection cap
     * (WA_HTTP_*): Camel's platform-http server takes the one Vert.x in the registry. Closed after the servers.
     */
    private static void bindHttpEdge(CamelContext ctx, Registry r, PropertiesComponent pc, int port) {
        GuardedVertx vertx = GuardedVertx.create(HttpEdge.load(name -> pc.resolveProperty(name).orElse(null)), port,
                () -> ctx.getStatus().isStarted());
        r.bind("vertx", vertx);
        try {
            ctx.addService(new ServiceSupport() {
                @Override
                protected void doStop() throws Exception {
                    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
                }
            }, true, true);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("could not register the Vert.x shutdown", e);
        }
    }

    /** The send route's steps (routes/send.camel.yaml, dead-letter.camel.yaml, sandbox.camel.yaml). */
    private static void bindSending(Registry r, Settings settings, RedissonClient redis) {
        r.bind("replyQueue", new ReplyQueue(redis, settings.streamMaxLen));
        r.bind("outboundMessages", new OutboundMessages());
        OwnSends ownSends = new OwnSends(redis, Duration.ofSeconds(settings.echoExpectTtlSeconds));
        r.bind("ownSends", ownSends);
        r.bind("deadLetters", new DeadLetters(redis));
        r.bind("tokenBucket", new TokenBucket(redis, settings.tokensPerSecond, settings.bucketCapacity));
        r.bind("sendGate", new SendGate(redis, settings.outageThreshold, settings.maxBackoffMs(), settings.maxDeliveries));
        r.bind("evolutionRequests", new EvolutionRequests(settings.sendDelayMs));
        r.bind("evolutionSendResult", new EvolutionSendResult());
        r.bind("sandboxEvolution", new SandboxEvolution(redis));
    }

    /** Metrics in the registry Camel scrapes, health checks, and Jolokia (read-only unless logged in). */
    private static void bindObservability(CamelContext ctx, Registry r, PropertiesComponent pc, Settings settings,
                                          RedissonClient redis, StreamStore streams, ConsumerLiveness liveness,
                                          ServedInstances served) {
        MeterRegistry meters = r.lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        WaMetrics metrics = new WaMetrics(meters);
        metrics.register(settings.instances);
        r.bind("waMetrics", metrics);
        r.bind("messageEvents", new MessageEvents(metrics));
        new QueueGauges(redis, streams, liveness).follow(meters, served);
        r.bind("redisHealth", new RedisHealthCheck(ctx, r.lookupByNameAndType("replicaBarrier", ReplicaBarrier.class)));
        r.bind("streamConsumersHealth", new StreamConsumersHealthCheck(ctx));
        r.bind("evolutionHealth", new EvolutionHealthCheck(ctx, redis, served));
        RequiredRoutesHealthCheck routes = new RequiredRoutesHealthCheck(ctx);
        r.bind("requiredRoutesHealth", routes);
        try {
            ctx.addStartupListener(routes);
        } catch (Exception e) {
            throw new IllegalStateException("could not register the required-routes health check", e);
        }

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
                                  RedissonClient redis, ConsumerLiveness liveness, ServedInstances served) {
        AdminSettings admin = AdminSettings.load(source);
        AdminInstances instances = new AdminInstances(served);
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
        r.bind("instanceAdmin", new InstanceAdmin(redis, instances, served));
    }

    /** Due scheduled messages of different chats moved side by side (1,000 due in one second: docs/api.md). */
    private static final int SCHEDULED_MOVE_THREADS = 8;

    /** The clinic systems' API, scheduled sends, statuses and callbacks (routes/api.camel.yaml, DESIGN §9). */
    private static void bindApi(CamelContext ctx, PropertiesComponent pc, Function<String, String> source,
                                Settings settings, RedissonClient redis, StreamStore streams, ServedInstances served) {
        Registry r = ctx.getRegistry();
        ApiSettings api = ApiSettings.load(source);
        pc.addOverrideProperty("wa.callbacks.enabled", String.valueOf(api.callbacks() && settings.role.runsWeb()));
        // the route's placeholder needs a value even where its precondition leaves the route out: an address that
        // is never called stands in
        pc.addOverrideProperty("wa.callbacks.url", api.callbacks() ? api.callbackUrl : "http://127.0.0.1:9/callbacks-off");
        r.bind("statusCallbacks", new StatusCallbacks(api.callbackSecret));
        MessageStatuses statuses = new MessageStatuses(redis, api.statusTtlMs, api.callbacks());
        r.bind("messageStatuses", statuses);
        r.bind("sendStatuses", new SendStatuses(statuses));
        // the send route's Redis work inside the stream engine's scripts (needs the status settings above)
        SendEntryScripts sendScripts = new SendEntryScripts(api.statusTtlMs, api.callbacks(),
                Duration.ofSeconds(settings.echoExpectTtlSeconds));
        r.bind("sendEntryScripts", sendScripts);
        r.bind("sendAdmission", new SendAdmission(redis, sendScripts));
        r.bind("sentMarkers", new SentMarkers(sendScripts));
        r.bind("deliveryUpdates", new DeliveryUpdates(statuses));
        ScheduledMessages scheduled = new ScheduledMessages(redis, streams, statuses, served, settings.streamMaxLen,
                ctx.getExecutorServiceManager().newFixedThreadPool(statuses, "scheduled-move", SCHEDULED_MOVE_THREADS));
        r.bind("scheduledMessages", scheduled);
        r.bind("apiAccess", AdminAccess.forApi(api.apiToken));
        r.bind("apiMessages", new ApiMessages(new MessageRequests(served), statuses, scheduled, served,
                settings.maxReplyChars));
    }

    /**
     * The served set (wa:instances), seeded from WA_INSTANCES and read before any route starts; it stops
     * listening before Redis shuts down (services stop in reverse order of adding).
     */
    private static ServedInstances startServedInstances(CamelContext ctx, Settings settings, RedissonClient redis) {
        ServedInstances served = new ServedInstances(redis, settings.instances);
        served.start();
        try {
            ctx.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    served.close();
                }
            }, true, true);
        } catch (Exception e) {
            served.close();
            throw new IllegalStateException("could not register the served instances' shutdown", e);
        }
        return served;
    }

    /** JSON 404/405 for /admin/* paths and methods no admin route serves (DESIGN §5). */
    private static void answerUnknownAdminCalls(CamelContext ctx, Settings settings) {
        try {
            ctx.addStartupListener(new AdminFallback(settings.port));
        } catch (Exception e) {
            throw new IllegalStateException("could not register the admin API's 404/405 answers", e);
        }
    }

    /**
     * The dev loop (WA_ROUTES_RELOAD=true) needs WA_ROUTES_DIR to be a directory: Camel would otherwise watch
     * nothing and say nothing, and a saved route would silently not reload.
     */
    private static void checkRoutesReloadDirectory(PropertiesComponent pc) {
        if (!"true".equalsIgnoreCase(pc.resolveProperty("WA_ROUTES_RELOAD").orElse("false").trim())) {
            return;
        }
        String dir = pc.resolveProperty("WA_ROUTES_DIR").orElse("");
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of(dir))) {
            throw new ConfigException("WA_ROUTES_RELOAD=true but WA_ROUTES_DIR=" + dir + " is not a directory (from "
                    + java.nio.file.Path.of("").toAbsolutePath() + "): run from the project root or set WA_ROUTES_DIR");
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
        pc.addOverrideProperty("wa.shutdown-timeout-ms", String.valueOf(s.shutdownTimeoutSeconds * 1000));
    }

    /** One pooled HTTP client for every Evolution call; only 2xx counts, redirects are not followed. */
    private static void configureHttpClient(CamelContext ctx, Settings s) {
        HttpComponent http = ctx.getComponent("http", HttpComponent.class);
        http.setConnectTimeout(Math.min(5000, s.evolutionTimeoutMs));
        http.setConnectionRequestTimeout(s.evolutionTimeoutMs);
        http.setResponseTimeout(s.evolutionTimeoutMs);
        http.setSoTimeout(s.evolutionTimeoutMs);
        // every instance shares one Evolution host: the pool follows the send threads, not the instance count
        http.setMaxTotalConnections(Math.max(50, s.sendConcurrency * 4));
        http.setConnectionsPerRoute(Math.max(20, s.sendConcurrency * 4));
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
