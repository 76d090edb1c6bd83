package io.cascade.tests.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A redis-server and a Cascade started side by side with the same settings, for running the same commands on
 * both and asserting identical replies (raw RESP text) and identical datasets (DEBUG DIGEST). Either started
 * by hand ({@link #start}) or as a JUnit extension for a whole test class:
 * {@code @RegisterExtension static final Twin twin = Twin.perClass().flushBeforeEach();} starts both before
 * the class's @BeforeAll methods, optionally runs FLUSHALL before each test, and stops both after the class.
 * Test thread.
 */
public final class Twin implements AutoCloseable, BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private static final Pattern BLOCKED_CLIENTS = Pattern.compile("blocked_clients:(\\d+)");
    public ServerProcess redis;
    public ServerProcess cascade;
    private final String[] directives;
    private boolean flushBeforeEach;

    private Twin(String... directives) {
        this.directives = directives;
    }

    /** Starts both servers now; the directives (e.g. "--hash-max-listpack-entries", "4") go to both. */
    public static Twin start(String... directives) throws IOException {
        Twin t = new Twin(directives);
        t.startServers();
        return t;
    }

    /** A pair started for each test class that registers it (see the class comment). */
    public static Twin perClass(String... directives) {
        return new Twin(directives);
    }

    /** FLUSHALL on both before every test of the class. */
    public Twin flushBeforeEach() {
        flushBeforeEach = true;
        return this;
    }

    private void startServers() throws IOException {
        redis = ServerProcess.redis(directives);
        List<String> args = new ArrayList<>(List.of("--save", "", "--appendonly", "no", "--enable-debug-command", "yes"));
        args.addAll(List.of(directives));
        try {
            cascade = ServerProcess.cascade(args.toArray(new String[0]));
        } catch (IOException | RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        startServers();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (flushBeforeEach) {
            flushAll();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** One connection to each server, kept for a sequence of commands (MULTI, SELECT, blocking ...). */
    public Session session() throws IOException {
        return new Session(new RawConnection(redis.port()), new RawConnection(cascade.port()));
    }

    /** Runs one command on a fresh connection to each; asserts the replies are equal and returns Redis's. */
    public String same(String... command) throws IOException {
        try (Session s = session()) {
            return s.same(command);
        }
    }

    /** Runs the commands in order on one connection to each, comparing every reply. */
    public void sameAll(String[]... commands) throws IOException {
        try (Session s = session()) {
            for (String[] c : commands) {
                s.same(c);
            }
        }
    }

    /** Asserts DEBUG DIGEST (the whole dataset) is the same on both. */
    public void sameDigest() throws IOException {
        same("DEBUG", "DIGEST");
    }

    public void flushAll() throws IOException {
        same("FLUSHALL");
    }

    /**
     * Waits (up to 5 s) until both servers report n blocked clients, as the Tcl suite's
     * wait_for_blocked_clients_count, and fails with the two counts if they do not.
     */
    public void awaitBlocked(int n) throws IOException {
        long deadline = System.currentTimeMillis() + 5000;
        while (true) {
            int r = blockedClients(redis);
            int c = blockedClients(cascade);
            if (r == n && c == n) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                assertEquals(n, r, "redis blocked_clients");
                assertEquals(n, c, "cascade blocked_clients");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for blocked clients", e);
            }
        }
    }

    private static int blockedClients(ServerProcess p) throws IOException {
        try (RawConnection r = new RawConnection(p.port())) {
            Matcher m = BLOCKED_CLIENTS.matcher(r.call("INFO", "clients"));
            if (!m.find()) {
                throw new AssertionError("no blocked_clients in INFO clients of " + p.kind());
            }
            return Integer.parseInt(m.group(1));
        }
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
        if (cascade != null) {
            cascade.close();
        }
    }

    /** A pair of connections used in lockstep. */
    public static final class Session implements AutoCloseable {
        public final RawConnection redis;
        public final RawConnection cascade;

        Session(RawConnection redis, RawConnection cascade) {
            this.redis = redis;
            this.cascade = cascade;
        }

        public String same(String... command) throws IOException {
            String expected = redis.call(command);
            String actual = cascade.call(command);
            assertEquals(expected, actual, "reply to " + String.join(" ", command));
            return expected;
        }

        @Override
        public void close() throws IOException {
            try {
                redis.close();
            } finally {
                cascade.close();
            }
        }
    }
}
