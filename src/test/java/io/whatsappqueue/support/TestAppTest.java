package io.whatsappqueue.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The harness's promise to every test class: its settings, whatever their names, are gone when it ends (and
 * a value that was there before comes back), it starts on an empty Redis, and no two classes share an
 * instance. Each "class" here is driven through the extension's callbacks as JUnit drives them.
 */
class TestAppTest {
    private static final String UNLISTED = "wa.test.some-setting-no-list-knows";
    private final List<AutoCloseable> ends = new ArrayList<>();

    @AfterEach
    void endClasses() throws Exception {
        for (AutoCloseable end : ends) {
            end.close();
        }
    }

    @Test
    void everySettingAClassSetIsPutBackWhenTheClassEnds() throws Exception {
        System.setProperty("WA_ROLE", "set-on-the-command-line");
        try {
            TestApp app = TestApp.web("iso-a").with(UNLISTED, "a").with("WA_ROLE", "worker").with("ADMIN_TOKEN", null);
            AutoCloseable end = start(app, ClassA.class);
            assertThat(System.getProperty(UNLISTED)).isEqualTo("a");
            assertThat(System.getProperty("WA_ROLE")).isEqualTo("worker");
            assertThat(System.getProperty("PORT")).isEqualTo(String.valueOf(app.port()));
            assertThat(System.getProperty("ADMIN_TOKEN")).isNull();

            end.close();
            ends.remove(end);
            assertThat(System.getProperty(UNLISTED)).as("a name in no list").isNull();
            assertThat(System.getProperty("PORT")).isNull();
            assertThat(System.getProperty("WA_ROLE")).as("the earlier value comes back").isEqualTo("set-on-the-command-line");
        } finally {
            System.clearProperty("WA_ROLE");
        }
    }

    @Test
    void aClassStartsOnAnEmptyRedis() {
        TestRedis.addPayload("wa:iso-left-behind:stream", "{}");
        start(TestApp.web("iso-b"), ClassB.class);
        assertThat(TestRedis.client().getKeys().count()).isZero();
    }

    @Test
    void twoClassesCannotServeTheSameInstance() {
        start(TestApp.web("iso-c"), ClassC.class);
        assertThatThrownBy(() -> start(TestApp.web("iso-d,iso-c"), ClassD.class))
                .hasMessageContaining("iso-c").hasMessageContaining(ClassC.class.getName());
    }

    /** beforeAll as JUnit calls it; returns what JUnit does when the class ends (closing the class's store). */
    private AutoCloseable start(TestApp app, Class<?> testClass) {
        List<Object> stored = new ArrayList<>();
        ExtensionContext.Store store = (ExtensionContext.Store) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ExtensionContext.Store.class}, (proxy, method, args) -> {
                    if (method.getName().equals("put")) {
                        stored.add(args[1]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        ExtensionContext context = (ExtensionContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRequiredTestClass" -> testClass;
                    case "getStore" -> store;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        app.beforeAll(context);
        AutoCloseable end = () -> {
            for (Object o : stored) {
                ((AutoCloseable) o).close();
            }
        };
        ends.add(end);
        return end;
    }

    private static final class ClassA {
    }

    private static final class ClassB {
    }

    private static final class ClassC {
    }

    private static final class ClassD {
    }
}
