package io.cascade.tests.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * JUnit 5 extension for tests that start servers: when a test fails it prints every server's log; servers
 * started inside a test are stopped after it, those started in @BeforeAll after the class.
 * Register with {@code @ExtendWith(Servers.class)}. Test threads only (tests here do not run in parallel).
 */
public final class Servers implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback,
        AfterAllCallback {
    private static final List<ServerProcess> CLASS_SCOPED = new ArrayList<>();
    private static final List<ServerProcess> TEST_SCOPED = new ArrayList<>();
    private static boolean inTest;

    static synchronized void track(ServerProcess p) {
        (inTest ? TEST_SCOPED : CLASS_SCOPED).add(p);
    }

    static synchronized void untrack(ServerProcess p) {
        TEST_SCOPED.remove(p);
        CLASS_SCOPED.remove(p);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (Servers.class) {
            inTest = true;
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            for (ServerProcess p : snapshot(true)) {
                System.err.println("----- " + p.kind() + " on port " + p.port() + " -----");
                System.err.println(p.log());
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (ServerProcess p : snapshot(false)) {
            p.close();
        }
        synchronized (Servers.class) {
            inTest = false;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (ServerProcess p : snapshot(true)) {
            p.close();
        }
    }

    private static synchronized List<ServerProcess> snapshot(boolean all) {
        List<ServerProcess> out = new ArrayList<>(TEST_SCOPED);
        if (all) {
            out.addAll(CLASS_SCOPED);
        }
        return out;
    }
}
