package io.cascade.server;

import io.cascade.replication.resp.RespRequest;
import io.cascade.replication.resp.RespWriter;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandFlag;
import io.cascade.server.command.CommandSpec;
import io.cascade.server.command.CommandStats;
import io.cascade.server.command.Errors;
import io.cascade.server.net.Client;
import io.cascade.storage.Keyspace;
import io.cascade.storage.RType;
import io.cascade.storage.types.Bytes;
import io.cascade.storage.types.RStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Clients blocked on keys (BLPOP, BLMOVE, BLMPOP, BZPOPMIN, XREAD / XREADGROUP BLOCK), as Redis's blocked.c: per
 * database, each key with the clients waiting on it in the order they blocked; keys that a write made ready,
 * served after the command or the EXEC that made them ready (handleClientsBlockedOnKeys), including stream keys
 * deleted or overwritten, which end the XREADGROUP waits on them (unblockDeletedStreamReadgroupClients); the
 * timeouts; and the requests a blocked client pipelined behind its blocking command, held until it is
 * unblocked. Command thread only (timers hand their work to it).
 */
public final class Blocking {
    /** How a blocked client is served; each blocking command family supplies one. */
    public interface Handler {
        /**
         * The type of value under a ready key that may serve this client (LIST for BLPOP, ZSET, STREAM); null
         * for a client that waits on no key (WAIT), released by its owner.
         */
        RType type();

        /**
         * Serves the client from key, which holds a value of type(): replies through c.reply as if the client
         * had just run the non-blocking form, and returns true; false keeps it blocked (a stream reader that
         * wants later entries). May throw CommandException before replying anything.
         */
        boolean serve(CommandContext c, byte[] key);

        /**
         * The key it waits on was deleted or now holds another type (unblockDeletedStreamReadgroupClients): true
         * after replying when that ends the wait (XREADGROUP's error), false to keep waiting.
         */
        default boolean keyGone(CommandContext c, byte[] key) {
            return false;
        }

        /** The reply when the timeout passes or CLIENT UNBLOCK asks for a timeout: Redis's null array. */
        default void timedOut(RespWriter reply) {
            reply.nullArray();
        }

        /**
         * False for a command that only looks blocked because its work goes on elsewhere (MIGRATE's network
         * exchange): Redis runs it to the end in one go, so CLIENT UNBLOCK and a role change leave it alone.
         */
        default boolean unblockable() {
            return true;
        }
    }

    /** A client that waits on no key (WAIT, a SHUTDOWN waiting for replicas): its owner releases it. */
    public static class NoKeys implements Handler {
        @Override
        public RType type() {
            return null;
        }

        @Override
        public boolean serve(CommandContext c, byte[] key) {
            return false;
        }
    }

    /** A client whose command waits for a pause to end (Redis's BLOCKED_POSTPONE): it runs again from scratch. */
    private static final Handler POSTPONED = new NoKeys();

    /** Where the write a served client performed goes (replication, AOF), in the form Redis propagates it. */
    public interface Propagator {
        void propagate(int db, byte[][] argv);
    }

    /** A key of one database, as blocking_keys and ready_keys index them. */
    private record DbKey(int db, Bytes key) {
    }

    /** One blocked client: what Redis keeps in client->bpop. */
    private static final class Blocked {
        final Client client;
        final byte[][] argv;
        final CommandSpec spec;
        final Handler handler;
        /** Unix ms after which it times out; 0 = never. */
        final long timeoutAt;
        /** Its reply is dropped (CLIENT REPLY OFF, or SKIP before the blocking command). */
        final boolean silent;
        final List<DbKey> keys = new ArrayList<>();
        ScheduledFuture<?> timer;
        /** How long the call that blocked ran, for the slow log entry made when it is served. */
        long callMicros;
        /** The arguments its call hid from the slow log and MONITOR (MIGRATE's AUTH), for finish's entry. */
        final BitSet redacted;
        final long blockedNanos = System.nanoTime();

        Blocked(Client client, byte[][] argv, CommandSpec spec, Handler handler, long timeoutAt, BitSet redacted) {
            this.client = client;
            this.redacted = redacted;
            this.argv = argv;
            this.spec = spec;
            this.handler = handler;
            this.timeoutAt = timeoutAt;
            this.silent = client.replySilent;
        }
    }

    private final Server server;
    private Dispatcher dispatcher;
    private final Map<Client, Blocked> blocked = new IdentityHashMap<>();
    private final Map<Client, ArrayDeque<RespRequest>> held = new IdentityHashMap<>();
    private final Map<DbKey, LinkedHashSet<Blocked>> waiting = new HashMap<>();
    /** Postponed clients in the order they were postponed (server.postponed_clients). */
    private final LinkedHashSet<Client> postponed = new LinkedHashSet<>();
    private final EnumMap<RType, Integer> blockedByType = new EnumMap<>(RType.class);
    private final TreeSet<Blocked> timeouts = new TreeSet<>(
            Comparator.<Blocked>comparingLong(b -> b.timeoutAt).thenComparingLong(b -> b.client.id));
    private List<DbKey> readyKeys = new ArrayList<>();
    private final Set<DbKey> readySet = new HashSet<>();
    /** Served clients reply into scratch first: the shared reply writer may be in use by the calling command. */
    private final RespWriter writer = new RespWriter();
    private final ByteBuf scratch = Unpooled.buffer(256);
    private final CommandContext serving;
    private Propagator propagator = (db, argv) -> { };

    Blocking(Server server) {
        this.server = server;
        this.serving = new CommandContext(server);
    }

    void attach(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    public void setPropagator(Propagator propagator) {
        this.propagator = propagator;
    }

    /** What a blocking command wrote instead of itself (BLPOP served as LPOP ...), as Redis's alsoPropagate. */
    public void propagate(int db, byte[]... argv) {
        propagator.propagate(db, argv);
    }

    // ---- blocking and unblocking ----

    /**
     * Blocks the calling client on keys until one of them can serve it or timeoutAt (unix ms, 0 = never)
     * passes, as Redis's blockForKeys. The command writes no reply now.
     */
    public void block(CommandContext c, List<byte[]> keys, long timeoutAt, Handler handler) {
        Blocked b = new Blocked(c.client, c.argv, c.spec, handler, timeoutAt, (BitSet) c.redacted.clone());
        for (byte[] key : keys) {
            DbKey k = new DbKey(c.client.db, new Bytes(key));
            if (!b.keys.contains(k)) { // BLPOP k k 0 waits once on k
                b.keys.add(k);
                waiting.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(b);
            }
        }
        blocked.put(c.client, b);
        if (handler.type() != null) {
            blockedByType.merge(handler.type(), 1, Integer::sum);
        }
        if (timeoutAt != 0) {
            timeouts.add(b);
            long delay = Math.max(0, timeoutAt - System.currentTimeMillis()) + 1;
            b.timer = c.client.channel.eventLoop().schedule(() -> server.main.submit(this::handleTimeouts),
                    delay, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Postpones the request now being admitted (processCommand's pause check): the client counts as blocked,
     * and its request runs again from the start, before anything it pipelined, once the pause is lifted.
     */
    void postpone(Client c, RespRequest request) {
        Blocked b = new Blocked(c, request.args(), null, POSTPONED, 0, new BitSet());
        blocked.put(c, b);
        postponed.add(c);
        held.computeIfAbsent(c, x -> new ArrayDeque<>()).addFirst(request);
        // it is counted done when the admission that postponed it returns; running it again counts it again
        c.pending.incrementAndGet();
    }

    /** The pause became less restrictive: every postponed client runs its request again, in order. */
    void releasePostponed() {
        for (Client c : postponed.toArray(new Client[0])) {
            unblock(blocked.get(c));
        }
    }

    /** The blocking call's own duration, kept for updateStatsOnUnblock's slow log entry. */
    void noteCallDuration(Client c, long micros) {
        Blocked b = blocked.get(c);
        if (b != null) {
            b.callMicros = micros;
        }
    }

    public boolean isBlocked(Client c) {
        return !blocked.isEmpty() && blocked.containsKey(c);
    }

    /** INFO's blocked_clients. */
    public int blockedCount() {
        return blocked.size();
    }

    /** INFO's clients_in_timeout_table. */
    public int timeoutCount() {
        return timeouts.size();
    }

    /** Unblocks after serving, a timeout or CLIENT UNBLOCK: its held requests run next (queueClientForReprocessing). */
    private void unblock(Blocked b) {
        detach(b);
        if (held.containsKey(b.client)) {
            server.main.submit(() -> runHeld(b.client));
        }
    }

    private void detach(Blocked b) {
        blocked.remove(b.client);
        if (b.handler == POSTPONED) {
            postponed.remove(b.client);
        }
        for (DbKey k : b.keys) {
            LinkedHashSet<Blocked> clients = waiting.get(k);
            clients.remove(b);
            if (clients.isEmpty()) {
                waiting.remove(k);
            }
        }
        if (b.handler.type() != null) {
            blockedByType.merge(b.handler.type(), -1, Integer::sum);
        }
        if (b.timeoutAt != 0) {
            timeouts.remove(b);
        }
        if (b.timer != null) {
            b.timer.cancel(false);
        }
    }

    /** The connection is gone: it waits no more and its held requests are dropped. */
    void clientGone(Client c) {
        Blocked b = blocked.get(c);
        if (b != null) {
            detach(b);
        }
        held.remove(c);
    }

    // ---- the requests of a blocked client ----

    /**
     * Keeps a request of a blocked client (or of one whose held requests have not all run yet) for later, so
     * that its requests run in order; true when held. Held requests stay counted in the client's pending
     * count, so the I/O thread's backpressure keeps working while it waits.
     */
    boolean hold(Client c, RespRequest request) {
        if (blocked.isEmpty() && held.isEmpty()) {
            return false;
        }
        ArrayDeque<RespRequest> queue = held.get(c);
        if (queue == null) {
            if (!blocked.containsKey(c)) {
                return false;
            }
            queue = new ArrayDeque<>();
            held.put(c, queue);
        }
        queue.add(request);
        return true;
    }

    /** Runs an unblocked client's held requests until none is left or one blocks it again. */
    private void runHeld(Client c) {
        while (!blocked.containsKey(c)) {
            ArrayDeque<RespRequest> queue = held.get(c);
            if (queue == null) {
                return;
            }
            RespRequest next = queue.poll();
            if (queue.isEmpty()) {
                held.remove(c);
            }
            dispatcher.executeNow(c, next);
        }
    }

    // ---- ready keys ----

    /**
     * Redis's signalKeyAsReady, from the keyspace listener after every write: a key that clients wait on and
     * that now holds a type some blocked client waits for is queued, once, to be served after the command.
     */
    public void signalKeyAsReady(Keyspace db, byte[] key) {
        if (blocked.isEmpty()) {
            return;
        }
        DbKey k = new DbKey(db.index(), new Bytes(key));
        if (!waiting.containsKey(k) || readySet.contains(k)) {
            return;
        }
        Object value = db.peek(key);
        // a waited-on key that is gone or of another type may end the XREADGROUP waits on it (Redis signals a
        // deleted or overwritten stream): those wait on a stream key that existed when they blocked
        boolean streamWaiters = blockedByType.getOrDefault(RType.STREAM, 0) > 0;
        if (value == null ? !streamWaiters
                : blockedByType.getOrDefault(RType.of(value), 0) == 0 && !streamWaiters) {
            return;
        }
        readySet.add(k);
        readyKeys.add(k);
    }

    /**
     * scanDatabaseForDeletedStreams before a FLUSHDB / FLUSHALL empties a database: its waited-on streams are
     * signalled, so the XREADGROUP clients on them are unblocked with an error.
     */
    public void signalDeletedStreams(int dbIndex) {
        if (blockedByType.getOrDefault(RType.STREAM, 0) == 0) {
            return;
        }
        Keyspace db = server.databases.db(dbIndex);
        for (DbKey k : new ArrayList<>(waiting.keySet())) {
            if (k.db() == dbIndex && db.peek(k.key().b) instanceof RStream
                    && readySet.add(k)) {
                readyKeys.add(k);
            }
        }
    }

    /** SWAPDB's scanDatabaseForReadyKeys: every waited-on key of that database that exists may be ready. */
    public void signalAllKeys(int dbIndex) {
        Keyspace db = server.databases.db(dbIndex);
        for (DbKey k : new ArrayList<>(waiting.keySet())) {
            if (k.db() == dbIndex) {
                signalKeyAsReady(db, k.key().b);
            }
        }
    }

    /**
     * Serves the clients blocked on the ready keys, key by key in the order they became ready and, per key,
     * first blocked first served, until the key can serve no more. Serving may make other keys ready (BLMOVE's
     * push): those are served in the next round, as Redis does.
     */
    void handleClientsBlockedOnKeys() {
        while (!readyKeys.isEmpty()) {
            List<DbKey> round = readyKeys;
            readyKeys = new ArrayList<>();
            for (DbKey k : round) {
                readySet.remove(k);
                Keyspace db = server.databases.db(k.db());
                Object value = db.get(k.key().b); // may expire it: then nobody is served
                if (value != null) {
                    serveKey(db, k, RType.of(value));
                }
                if (value == null || RType.of(value) != RType.STREAM) {
                    serveGone(k);
                }
            }
        }
    }

    private void serveKey(Keyspace db, DbKey k, RType type) {
        LinkedHashSet<Blocked> clients = waiting.get(k);
        if (clients == null) {
            return;
        }
        for (Blocked b : clients.toArray(new Blocked[0])) {
            if (blocked.get(b.client) != b || b.handler.type() != type) {
                continue;
            }
            if (b.client.closed) {
                clientGone(b.client);
                continue;
            }
            serve(b, k.key().b);
            Object now = db.peek(k.key().b);
            if (now == null || RType.of(now) != type) {
                return; // emptied and deleted: the others keep waiting
            }
        }
    }

    /** The clients of a key that was deleted or changed type: those the handler says are done are unblocked. */
    private void serveGone(DbKey k) {
        LinkedHashSet<Blocked> clients = waiting.get(k);
        if (clients == null || blockedByType.getOrDefault(RType.STREAM, 0) == 0) {
            return;
        }
        for (Blocked b : clients.toArray(new Blocked[0])) {
            if (blocked.get(b.client) != b || b.handler.type() != RType.STREAM) {
                continue;
            }
            if (b.client.closed) {
                clientGone(b.client);
                continue;
            }
            serve(b, k.key().b, true);
        }
    }

    private void serve(Blocked b, byte[] key) {
        serve(b, key, false);
    }

    private void serve(Blocked b, byte[] key, boolean gone) {
        CommandContext c = serving;
        c.client = b.client;
        c.argv = b.argv;
        c.spec = b.spec;
        c.redacted.clear();
        c.denyBlocking = true;
        scratch.clear();
        c.reply = writer.target(scratch, b.client.resp);
        long errors = writer.errorCount();
        long start = System.nanoTime();
        boolean served;
        // what one served client propagates is one execution unit (MULTI/EXEC when several: XREADGROUP's XCLAIMs)
        Propagation.Frame frame = server.propagation.enter();
        try {
            served = gone ? b.handler.keyGone(c, key) : b.handler.serve(c, key);
        } catch (CommandException e) {
            writer.error(e.errorBytes());
            served = true;
        } finally {
            server.propagation.exit(frame, b.spec.fullName, b.client.db, b.argv, false);
        }
        if (!served) {
            scratch.clear();
            return;
        }
        long replyMicros = (System.nanoTime() - start) / 1000;
        server.latency.addSampleIfNeeded("command-unblocking", replyMicros / 1000);
        updateStatsOnUnblock(b, c.redacted, replyMicros, errors);
        deliver(b);
        unblock(b);
    }

    /**
     * Redis's updateStatsOnUnblock: the blocking command's time (micros more than its first call took), slow log
     * entry and failure (an error written since errorsBefore), not a second call.
     */
    private void updateStatsOnUnblock(Blocked b, BitSet redacted, long micros, long errorsBefore) {
        CommandStats stats = dispatcher.stats(b.spec);
        stats.micros += micros;
        if (!b.spec.has(CommandFlag.SKIP_SLOWLOG)) {
            server.slowlog.pushIfNeeded(b.client, b.argv, redacted, b.callMicros + micros);
        }
        if (server.latency.tracking()) {
            stats.recordLatency(b.callMicros + micros);
        }
        if (writer.errorCount() != errorsBefore) {
            stats.failed++;
            server.stats.countError(writer.lastError());
        }
    }

    /** Sends what was written into scratch to the blocked client, unless its reply is silenced. */
    private void deliver(Blocked b) {
        if (!b.silent && scratch.isReadable()) {
            byte[] bytes = new byte[scratch.readableBytes()];
            scratch.readBytes(bytes);
            server.clients.rawTo(b.client, bytes);
        }
        scratch.clear();
    }

    /** Unblocks a client that waits on no key (WAIT), with the reply its owner writes. */
    public void release(Client c, Consumer<RespWriter> reply) {
        Blocked b = blocked.get(c);
        if (b == null) {
            return;
        }
        scratch.clear();
        reply.accept(writer.target(scratch, c.resp));
        deliver(b);
        unblock(b);
    }

    /**
     * Ends a command whose work went on off the command thread (MIGRATE): writes its reply and counts it as
     * Redis counts a command that ran all that time (its duration, slow log entry and failure, as call()
     * does), then serves the keys its finish made ready. A client gone meanwhile gets nothing.
     */
    public void finish(Client c, Consumer<RespWriter> reply) {
        Blocked b = blocked.get(c);
        if (b != null) {
            scratch.clear();
            long errors = writer.errorCount();
            reply.accept(writer.target(scratch, c.resp));
            updateStatsOnUnblock(b, b.redacted, (System.nanoTime() - b.blockedNanos) / 1000, errors);
            deliver(b);
            unblock(b);
        }
        handleClientsBlockedOnKeys();
    }

    // ---- timeouts and CLIENT UNBLOCK ----

    /** Redis's handleBlockedClientsTimeout: clients whose deadline has passed get their timeout reply. */
    void handleTimeouts() {
        long now = System.currentTimeMillis();
        while (!timeouts.isEmpty() && timeouts.first().timeoutAt < now) {
            Blocked b = timeouts.first();
            scratch.clear();
            b.handler.timedOut(writer.target(scratch, b.client.resp));
            deliver(b);
            unblock(b);
        }
    }

    /**
     * Redis's disconnectAllBlockedClients: the instance changes role (REPLICAOF), so every blocked client gets
     * this error and is closed once it is sent.
     */
    public void disconnectAllBlocked(String error) {
        for (Blocked b : blocked.values().toArray(new Blocked[0])) {
            if (b.handler == POSTPONED || !b.handler.unblockable()) {
                continue; // its command has not started (it runs, or is refused, later), or ends on its own
            }
            scratch.clear();
            writer.target(scratch, b.client.resp).error(error);
            server.stats.countError(error);
            deliver(b);
            detach(b);
            held.remove(b.client);
            server.clients.closeAfterReply(b.client);
        }
    }

    /** CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 when that client was blocked and is now unblocked, else 0. */
    public void clientUnblock(CommandContext c) {
        if (c.argc() > 4) {
            c.reply.error(Errors.subcommandSyntax(c.argv));
            return;
        }
        boolean error = false;
        if (c.argc() == 4) {
            if (c.argIs(3, "error")) {
                error = true;
            } else if (!c.argIs(3, "timeout")) {
                c.reply.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                return;
            }
        }
        long id = c.longArg(2);
        Client target = server.clients.get(id);
        Blocked b = target == null ? null : blocked.get(target);
        if (b == null || b.handler == POSTPONED || !b.handler.unblockable()) {
            c.reply.integer(0);
            return;
        }
        scratch.clear();
        RespWriter w = writer.target(scratch, target.resp);
        if (error) {
            String text = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
            w.error(text);
            server.stats.countError(text);
        } else {
            b.handler.timedOut(w);
        }
        deliver(b);
        // as Redis's updateStatsOnUnblock(target, 0, 0, 1): counted as failed however it was unblocked
        dispatcher.stats(b.spec).failed++;
        unblock(b);
        c.reply.integer(1);
    }
}
