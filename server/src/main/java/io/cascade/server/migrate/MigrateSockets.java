package io.cascade.server.migrate;

import io.cascade.conf.Log;
import io.cascade.server.command.CString;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * MIGRATE's side of the network (cluster.c migrateGetSocket, migrateCloseSocket, the exchange in
 * migrateCommand): connections to targets cached per "host:port" with the db last selected on them (at most
 * 64, each closed after 10 s unused, as Redis's migrate_cached_sockets), and the exchange itself: AUTH and a
 * SELECT when needed, the RESTOREs, each reply read with the timeout, one retry on a fresh connection when a
 * cached one turns out to be closed. Everything runs on its own thread, "cascade-migrate", started at the
 * first MIGRATE that reaches the network: the command thread hands it a request and gets the result back, so
 * it never waits on a slow or dead target (except inside MULTI or a script, where it waits as Redis's main
 * thread does).
 */
public final class MigrateSockets {
    static final int CACHE_ITEMS = 64;
    static final long CACHE_TTL_SECONDS = 10;
    /** Redis writes the query to the target in 64K chunks, each with the whole timeout. */
    private static final int CHUNK = 64 * 1024;

    /** One MIGRATE's exchange, built on the command thread: the commands are RESP-encoded already. */
    public record Request(String host, String port, long timeoutMillis, long dbid, byte[] auth,
                          List<byte[]> restores) {
    }

    /**
     * What the target said: acked[j] when the j-th RESTORE got a non-error reply (only those keys may be
     * deleted), and the error MIGRATE answers (without its '-'), or null for +OK.
     */
    public record Result(boolean[] acked, String error) {
    }

    /** A cached connection and the db last selected on it (-1: unknown, SELECT next time). */
    private static final class Cached {
        final SyncConnection conn;
        long lastDbid = -1;
        long lastUseSeconds;

        Cached(SyncConnection conn) {
            this.conn = conn;
        }
    }

    private final Map<String, Cached> cache = new HashMap<>();
    /** INFO's migrate_cached_sockets, read by the command thread. */
    private volatile int cached;
    private ScheduledExecutorService thread;

    /** How many connections are cached (INFO migrate_cached_sockets). Any thread. */
    public int cachedCount() {
        return cached;
    }

    /** Runs the exchange on the migrate thread; done gets the result there. Called on the command thread. */
    public void submit(Request r, Consumer<Result> done) {
        executor().execute(() -> done.accept(exchangeSafely(r)));
    }

    /** Runs the exchange and waits for it, the timeouts bounding the wait (inside MULTI/EXEC or a script). */
    public Result exchangeNow(Request r) {
        CompletableFuture<Result> f = new CompletableFuture<>();
        submit(r, f::complete);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(new boolean[r.restores().size()], "IOERR error or timeout reading to target instance");
        } catch (ExecutionException e) {
            return new Result(new boolean[r.restores().size()], "IOERR error or timeout reading to target instance");
        }
    }

    private synchronized ScheduledExecutorService executor() {
        if (thread == null) {
            thread = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread t = new Thread(task, "cascade-migrate");
                t.setDaemon(true);
                return t;
            });
            // migrateCloseTimedoutSockets, from serverCron once a second
            thread.scheduleAtFixedRate(this::closeTimedOut, 1, 1, TimeUnit.SECONDS);
        }
        return thread;
    }

    /** Every request gets an answer, even when something unexpected fails underneath. */
    private Result exchangeSafely(Request r) {
        try {
            return exchange(r);
        } catch (RuntimeException | Error e) {
            Log.warning("MIGRATE to %s:%s failed unexpectedly: %s", r.host(), r.port(), e);
            close(r.host() + ":" + r.port());
            return new Result(new boolean[r.restores().size()], "IOERR error or timeout reading to target instance");
        }
    }

    /**
     * migrateCommand from its try_again label, in its order: a failure to connect is answered at once; a
     * socket error before any RESTORE reply (a cached connection the target closed meanwhile) is retried once
     * on a new connection, unless it was a timeout; the first error reply of the target is the answer, and
     * makes the next MIGRATE select its db again.
     */
    Result exchange(Request r) {
        String name = r.host() + ":" + r.port();
        int keys = r.restores().size();
        boolean mayRetry = true;
        while (true) {
            Cached cs = socket(name, r);
            if (cs == null) {
                return new Result(new boolean[keys], "IOERR error or timeout connecting to the client");
            }
            boolean select = cs.lastDbid != r.dbid();
            boolean writeError = false;
            boolean[] acked = new boolean[keys];
            String targetError = null;
            boolean socketError = false;
            boolean timedOut = false;
            int j = 0;
            try {
                byte[] query = query(r, select);
                try {
                    for (int pos = 0; pos < query.length; pos += CHUNK) {
                        cs.conn.write(query, pos, Math.min(CHUNK, query.length - pos), r.timeoutMillis());
                    }
                } catch (IOException e) {
                    writeError = true;
                    throw e;
                }
                String authReply = r.auth() != null ? cs.conn.readLine(r.timeoutMillis()) : null;
                String selectReply = select ? cs.conn.readLine(r.timeoutMillis()) : null;
                for (; j < keys; j++) {
                    String reply;
                    try {
                        reply = cs.conn.readLine(r.timeoutMillis());
                    } catch (IOException e) {
                        socketError = true;
                        timedOut = e instanceof SocketTimeoutException;
                        break;
                    }
                    // an AUTH or SELECT that failed makes every RESTORE reply count as that error
                    String error = isError(authReply) ? authReply : isError(selectReply) ? selectReply
                            : isError(reply) ? reply : null;
                    if (error == null) {
                        acked[j] = true;
                    } else if (targetError == null) {
                        cs.lastDbid = -1;
                        targetError = "ERR Target instance replied with error: " + error.substring(1);
                    }
                }
            } catch (IOException e) {
                // socket_err: the connection goes; retried once unless it timed out
                close(name);
                if (!(e instanceof SocketTimeoutException) && mayRetry) {
                    mayRetry = false;
                    continue;
                }
                return new Result(acked, "IOERR error or timeout " + (writeError ? "writing" : "reading")
                        + " to target instance");
            }
            if (targetError == null && socketError && j == 0 && mayRetry && !timedOut) {
                close(name);
                mayRetry = false;
                continue;
            }
            if (socketError) {
                close(name);
                if (targetError == null) {
                    // the keys acknowledged before the error are moved all the same (deleted here)
                    return new Result(acked, "IOERR error or timeout reading to target instance");
                }
            }
            if (targetError == null) {
                cs.lastDbid = r.dbid();
            }
            return new Result(acked, targetError);
        }
    }

    private static boolean isError(String line) {
        return line != null && line.startsWith("-");
    }

    /** AUTH [username] password when asked for, SELECT when the cached connection has another db, the RESTOREs. */
    private static byte[] query(Request r, boolean select) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (r.auth() != null) {
            out.writeBytes(r.auth());
        }
        if (select) {
            String db = Long.toString(r.dbid());
            out.writeBytes(("*2\r\n$6\r\nSELECT\r\n$" + db.length() + "\r\n" + db + "\r\n").getBytes());
        }
        for (byte[] restore : r.restores()) {
            out.writeBytes(restore);
        }
        return out.toByteArray();
    }

    /** migrateGetSocket: the cached connection, or a new one (a random one goes when 64 are cached); null on failure. */
    private Cached socket(String name, Request r) {
        long now = System.currentTimeMillis() / 1000;
        Cached cs = cache.get(name);
        if (cs != null) {
            cs.lastUseSeconds = now;
            return cs;
        }
        if (cache.size() == CACHE_ITEMS) {
            List<String> names = new ArrayList<>(cache.keySet());
            close(names.get(ThreadLocalRandom.current().nextInt(names.size())));
        }
        try {
            cs = new Cached(SyncConnection.connect(r.host(), port(r.port()), r.timeoutMillis()));
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return null;
        }
        cs.lastUseSeconds = now;
        cache.put(name, cs);
        cached = cache.size();
        return cs;
    }

    /** migrateCloseSocket: idempotent. */
    private void close(String name) {
        Cached cs = cache.remove(name);
        if (cs != null) {
            cs.conn.close();
        }
        cached = cache.size();
    }

    /** migrateCloseTimedoutSockets: connections unused for more than 10 s are closed. */
    private void closeTimedOut() {
        long now = System.currentTimeMillis() / 1000;
        for (Iterator<Map.Entry<String, Cached>> it = cache.entrySet().iterator(); it.hasNext(); ) {
            Cached cs = it.next().getValue();
            if (now - cs.lastUseSeconds > CACHE_TTL_SECONDS) {
                cs.conn.close();
                it.remove();
            }
        }
        cached = cache.size();
    }

    /**
     * The port as Redis hands it to getaddrinfo: atoi (so "abc" is port 0, where nothing listens), printed
     * into a 6-byte buffer (so at most 5 characters), then taken modulo 65536 by the resolver. A negative port
     * does not resolve.
     */
    static int port(String arg) {
        String printed = Integer.toString(CString.atoi(arg.getBytes(StandardCharsets.ISO_8859_1)));
        int port = Integer.parseInt(printed.substring(0, Math.min(5, printed.length())));
        if (port < 0) {
            throw new IllegalArgumentException("port out of range: " + arg);
        }
        return port & 0xffff;
    }
}
