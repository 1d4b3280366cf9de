package io.whatsappqueue.support;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.redisson.api.RedissonClient;

/**
 * The one way a test class starts the app under test. Register it next to {@code @CamelMainTest}:
 * <pre>
 * &#64;CamelMainTest(configurationClasses = AppConfiguration.class)
 * class SomethingTest {
 *     &#64;RegisterExtension
 *     static final TestApp APP = TestApp.worker("clinic-x").with("WA_MAX_DELIVERIES", "3");
 * </pre>
 * Before the class's first Camel boot it empties the JVM's one Redis ({@link TestRedis}), checks that no other
 * class used the same instance names, and sets the settings (environment-variable names, or any property
 * Camel reads) as system properties, with fresh loopback ports. When the class ends, after its Camel context
 * stopped, it puts back every property it touched, whatever its name, so no class inherits another's
 * configuration. Ports, Redis and the Evolution stand-in are read from the instance ({@link #port()},
 * {@link #redis()}, {@link #evolution()}). A class may point the app at a Redis of its own instead, e.g.
 * {@code .with("REDIS_SENTINEL", topology.sentinelAddresses()).closing(topology)} with a {@link RedisTopology}.
 */
public final class TestApp implements BeforeAllCallback {
    /** The ADMIN_TOKEN of {@link #web} apps. */
    public static final String ADMIN_TOKEN = "secret-admin-token";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestApp.class);
    /** Instance name -> the test class that used it, for the whole JVM. */
    private static final Map<String, String> CLAIMED = new HashMap<>();
    private static TestApp running;

    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, String> previous = new LinkedHashMap<>();
    private final List<java.util.function.Consumer<RedissonClient>> beforeBoot = new java.util.ArrayList<>();
    private final List<AutoCloseable> closeAtEnd = new java.util.ArrayList<>();
    private final int port = TestRedis.freePort();
    private final int managementPort = TestRedis.freePort();
    private FakeEvolution evolution;
    private boolean inJvm = true;

    private TestApp(Map<String, String> defaults) {
        // one reply per message, as every test but the debounce tests expects (those set a window of their own);
        // the product's default is a 3 s window (WA_DEBOUNCE_MS, docs/configuration-inbound.md)
        settings.put("WA_DEBOUNCE_MS", "0");
        settings.putAll(defaults);
    }

    /**
     * A web process (webhook, admin API with {@link #ADMIN_TOKEN}, reply route; no send worker) in sandbox mode
     * (no EVOLUTION_SERVER_URL) serving {@code instances} (comma separated).
     */
    public static TestApp web(String instances) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("WA_INSTANCES", instances);
        m.put("WA_ROLE", "web");
        m.put("ADMIN_TOKEN", ADMIN_TOKEN);
        m.put("WA_STREAM_BLOCK_MS", "200");
        m.put("WA_STREAM_CLAIM_IDLE_MS", "2000");
        return new TestApp(m);
    }

    /**
     * For a class that runs the service only as separate processes ({@link WorkerProcess}): no settings in this
     * JVM, but the same empty Redis at the start and the same claim on {@code instances}.
     */
    public static TestApp processes(String instances) {
        TestApp app = new TestApp(Map.of("WA_INSTANCES", instances));
        app.inJvm = false;
        return app;
    }

    /** A fast, deterministic send worker talking to a {@link FakeEvolution} that accepts every message. */
    public static TestApp worker(String instances) {
        return new TestApp(Map.of()).withEvolution().with(workerEnv(instances, null, Map.of()));
    }

    /**
     * The settings of a fast, deterministic worker (no rate limit, short back-off) for a separate process
     * ({@link WorkerProcess}); {@code overrides} win.
     */
    public static Map<String, String> workerEnv(String instances, String evolutionUrl, Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("REDIS_URL", TestRedis.url());
        if (evolutionUrl != null) {
            m.put("EVOLUTION_SERVER_URL", evolutionUrl);
        }
        m.put("EVOLUTION_API_KEY", "test-key");
        m.put("WA_INSTANCES", instances);
        m.put("WA_ROLE", "worker");
        m.put("WA_TOKENS_PER_SECOND", "0");
        m.put("WA_SEND_DELAY_MS", "0");
        m.put("WA_STREAM_BLOCK_MS", "200");
        m.put("WA_BASE_BACKOFF", "0.2");
        m.put("WA_MAX_BACKOFF", "0.5");
        m.put("WA_EVOLUTION_HTTP_TIMEOUT", "5");
        m.putAll(overrides);
        return m;
    }

    /** Starts a {@link FakeEvolution} now and points EVOLUTION_SERVER_URL at it (a later {@link #with} wins). */
    public TestApp withEvolution() {
        if (evolution == null) {
            evolution = new FakeEvolution();
        }
        settings.put("EVOLUTION_SERVER_URL", evolution.url());
        settings.putIfAbsent("EVOLUTION_API_KEY", "test-key");
        return this;
    }

    /** One setting; {@code null} means unset for this class (an earlier or command-line value is hidden). */
    public TestApp with(String name, String value) {
        settings.put(name, value);
        return this;
    }

    /** Several settings; {@code null} values mean unset. */
    public TestApp with(Map<String, String> more) {
        more.forEach(settings::put);
        return this;
    }

    /** Writes to the emptied Redis before the app boots (state an earlier deployment left, say). */
    public TestApp beforeBoot(java.util.function.Consumer<RedissonClient> step) {
        beforeBoot.add(step);
        return this;
    }

    /** The app of the test class running now (for helpers that are not handed one). */
    public static synchronized TestApp running() {
        if (running == null) {
            throw new IllegalStateException("no TestApp registered for the running test class");
        }
        return running;
    }

    /** The first instance in WA_INSTANCES. */
    public String instance() {
        return instances().get(0);
    }

    public List<String> instances() {
        String v = settings.get("WA_INSTANCES");
        return v == null ? List.of("demo") : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The value this class set, or null. */
    public String setting(String name) {
        return settings.get(name);
    }

    /** PORT: webhook, admin API, sandbox. */
    public int port() {
        return port;
    }

    /** MANAGEMENT_PORT: /observe (health, metrics, Jolokia). */
    public int managementPort() {
        return managementPort;
    }

    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + port + pathAndQuery;
    }

    public String managementUrl(String pathAndQuery) {
        return "http://127.0.0.1:" + managementPort + pathAndQuery;
    }

    /** The HTTP status of this app's readiness ({@code /observe/health/ready}): 200 ready, 503 not. */
    public int readiness() {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(managementUrl("/observe/health/ready"))).timeout(java.time.Duration.ofSeconds(10))
                    .build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Evolution stand-in; only for apps made by {@link #worker} or {@link #withEvolution}. */
    public FakeEvolution evolution() {
        if (evolution == null) {
            throw new IllegalStateException("this TestApp has no FakeEvolution: use withEvolution()");
        }
        return evolution;
    }

    /** A client of the JVM's one Redis, which the app uses too (unless the class named a Redis of its own). */
    public RedissonClient redis() {
        return TestRedis.client();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (TestApp.class) {
            if (running != null) {
                running.restore();
            }
            claim(context.getRequiredTestClass().getName());
            // the key naming the app will use (it sets the same at boot), so keys a test builds first match it
            io.whatsappqueue.redis.Keys.useHashTags("true".equalsIgnoreCase(settings.get("WA_KEY_HASHTAGS"))
                    || settings.get("REDIS_CLUSTER") != null);
            TestRedis.url();
            TestRedis.flushAll();
            beforeBoot.forEach(step -> step.accept(TestRedis.client()));
            running = this;
            if (inJvm) {
                Map<String, String> all = new LinkedHashMap<>();
                all.put("PORT", String.valueOf(port));
                all.put("MANAGEMENT_PORT", String.valueOf(managementPort));
                all.put("WA_BIND_HOST", "127.0.0.1");
                all.put("REDIS_URL", TestRedis.url());
                all.putAll(settings);
                if (usesOtherRedis()) {
                    all.put("REDIS_URL", null);     // worker() put the JVM's Redis there
                }
                all.forEach(this::set);
            }
        }
        // closed after the class's Camel context (the store closes in reverse order of insertion)
        context.getStore(NAMESPACE).put("settings", (AutoCloseable) this::end);
    }

    /** Closes {@code resource} (a {@link RedisTopology}, say) when the class ends, after its Camel context stopped. */
    public TestApp closing(AutoCloseable resource) {
        closeAtEnd.add(resource);
        return this;
    }

    /**
     * The class names its own Redis (REDIS_SENTINEL or REDIS_CLUSTER, e.g. of a {@link RedisTopology}): the JVM's
     * one Redis is then left out of REDIS_URL, where it would make a second topology.
     */
    private boolean usesOtherRedis() {
        return settings.get("REDIS_SENTINEL") != null || settings.get("REDIS_CLUSTER") != null;
    }

    private void claim(String testClass) {
        for (String instance : instances()) {
            String other = CLAIMED.putIfAbsent(instance, testClass);
            if (other != null && !other.equals(testClass)) {
                throw new IllegalStateException("instance " + instance + " is already used by " + other
                        + ": give each test class its own instance names so classes never share keys");
            }
        }
    }

    private void set(String name, String value) {
        previous.putIfAbsent(name, System.getProperty(name));
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    private void end() {
        synchronized (TestApp.class) {
            restore();
        }
        if (evolution != null) {
            evolution.stop();
        }
        for (AutoCloseable resource : closeAtEnd) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close " + resource, e);
            }
        }
    }

    /** Puts back every property this app touched: the value before it, or none. */
    private void restore() {
        previous.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
        previous.clear();
        if (running == this) {
            running = null;
        }
    }
}
