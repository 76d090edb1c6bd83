package io.cascade.tests.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A redis-server and a Cascade started side by side with the same settings, for running the same commands on
 * both and asserting identical replies (raw RESP text) and identical datasets (DEBUG DIGEST). Test thread.
 */
public final class Twin implements AutoCloseable {
    public final ServerProcess redis;
    public final ServerProcess cascade;

    private Twin(ServerProcess redis, ServerProcess cascade) {
        this.redis = redis;
        this.cascade = cascade;
    }

    /** Starts both servers; the directives (e.g. "--hash-max-listpack-entries", "4") go to both. */
    public static Twin start(String... directives) throws IOException {
        ServerProcess r = ServerProcess.redis(directives);
        List<String> args = new ArrayList<>(List.of("--save", "", "--appendonly", "no", "--enable-debug-command", "yes"));
        args.addAll(List.of(directives));
        try {
            return new Twin(r, ServerProcess.cascade(args.toArray(new String[0])));
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
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

    @Override
    public void close() {
        redis.close();
        cascade.close();
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
