package io.cascade.storage;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;

/**
 * JUnit 5 extension: one RedisProcess for a whole test class, started before its @BeforeAll methods and stopped
 * after it. Without redis-server on PATH the class is skipped with the given reason, or, when the reason is
 * null, runs and its tests that need the server check {@link #available()}. Test thread.
 */
final class RedisPerClass implements BeforeAllCallback, AfterAllCallback {
    private final String skipReason;
    private RedisProcess process;

    RedisPerClass(String skipReason) {
        this.skipReason = skipReason;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (RedisProcess.binary() == null) {
            Assumptions.assumeTrue(skipReason == null, skipReason);
            return;
        }
        process = RedisProcess.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (process != null) {
            process.close();
        }
    }

    boolean available() {
        return process != null;
    }

    Object call(String... args) throws IOException {
        return process.call(args);
    }

    Object call(byte[]... args) throws IOException {
        return process.call(args);
    }
}
