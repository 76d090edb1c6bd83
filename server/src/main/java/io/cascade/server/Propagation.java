package io.cascade.server;

import io.cascade.replication.resp.RespEncoding;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a top master's commands send down the stream, as Redis 7.0's call() and propagatePendingCommands do
 * (spec 6.1, 6.2): a command that changed the dataset is propagated as it came or in the form it asked for
 * (rewrite), commands it asked to add (alsoPropagate: a lazily expired key's DEL, BLPOP served as LPOP) go
 * with it, and everything one top-level command produced is one execution unit: bare when it is one command,
 * in MULTI/EXEC when more, a SELECT before it when the db changes. A replica propagates nothing of its own:
 * as a middle node it forwards its upstream's bytes (Replica, Downstream.proxy). Command thread only.
 */
public final class Propagation {
    private static final byte[] MULTI = RespEncoding.command("MULTI");
    private static final byte[] EXEC = RespEncoding.command("EXEC");
    private static final byte[] DEL = {'D', 'E', 'L'};
    private static final byte[] UNLINK = {'U', 'N', 'L', 'I', 'N', 'K'};
    /**
     * Commands Redis propagates even when they changed nothing: FLUSH* (their dirty++ is unconditional) and
     * PUBLISH/SPUBLISH (forceCommandPropagation), so that a replica's subscribers get the messages too.
     */
    private static final Set<String> ALWAYS = Set.of("flushall", "flushdb", "publish", "spublish");
    /**
     * CMD_TOUCHES_ARBITRARY_KEYS: run directly, what these produce (the DELs of keys they found expired) goes
     * unwrapped, as the active expire cycle's DELs do: they are no transaction of the client's.
     */
    private static final Set<String> TOUCHES_ARBITRARY_KEYS = Set.of("scan", "randomkey");

    private record Op(int db, byte[][] argv) {
    }

    private final Server server;
    private final List<Op> unit = new ArrayList<>();
    /** Nesting of calls: 1 for a client's command, 2 for what EXEC runs. */
    private int depth;
    /** Per call frame: the form the running command propagates as, or null for its own argv. */
    private byte[][] rewritten;
    /** Per call frame: the command said what it propagates instead of itself (preventCommandPropagation). */
    private boolean prevented;
    /** A script's redis.set_repl left out the replicas: its commands do not join the unit. */
    public boolean suppressed;

    Propagation(Server server) {
        this.server = server;
    }

    /** True when this node generates a stream: a master with a backlog. */
    private boolean generating() {
        return !server.replica.isReplica() && server.downstream.active();
    }

    /** Saved state of the enclosing call while an inner one runs (EXEC's commands). */
    record Frame(byte[][] rewritten, boolean prevented, long dirty) {
    }

    Frame enter() {
        Frame f = new Frame(rewritten, prevented, server.dirty);
        rewritten = null;
        prevented = false;
        depth++;
        return f;
    }

    /**
     * After the handler ran: the command itself joins the unit when it changed the dataset, unless it said
     * otherwise; the outermost call then emits the unit.
     */
    void exit(Frame f, String name, int db, byte[][] argv, boolean selfPropagates) {
        depth--;
        boolean changed = server.dirty != f.dirty() || ALWAYS.contains(name);
        if (selfPropagates && changed && !prevented && !suppressed && generating()) {
            unit.add(new Op(db, rewritten != null ? rewritten : argv));
        }
        rewritten = f.rewritten();
        prevented = f.prevented();
        if (depth == 0) {
            emitUnit(!TOUCHES_ARBITRARY_KEYS.contains(name));
        }
    }

    /** How an expired key's deletion goes down the stream: UNLINK under lazyfree-lazy-expire, else DEL. */
    public byte[] expiredDelete() {
        return server.config.getBool("lazyfree-lazy-expire") ? UNLINK : DEL;
    }

    /** rewriteClientCommandVector: the running command propagates as this instead of its argv. */
    public void rewrite(byte[]... argv) {
        rewritten = argv;
    }

    /** alsoPropagate: one more command in the current unit (or alone, when no command is running). */
    public void also(int db, byte[]... argv) {
        if (!generating()) {
            return;
        }
        unit.add(new Op(db, argv));
        if (depth == 0) {
            emitUnit(true);
        }
    }

    /**
     * A command that is its own unit, sent now whatever runs (an evicted key's DEL: performEvictions propagates
     * with propagate_no_multi, never wrapped in the running command's MULTI/EXEC).
     */
    public void alone(int db, byte[]... argv) {
        if (generating()) {
            emit(new Op(db, argv));
        }
    }

    /** The command propagates this in place of itself (BLPOP served as LPOP, SPOP as SREMs). */
    public void replaceWith(int db, byte[]... argv) {
        prevented = true;
        also(db, argv);
    }

    /** preventCommandPropagation: the running command is not propagated as itself. */
    public void prevent() {
        prevented = true;
    }

    /** Bytes that go into the stream as they are, outside any unit and without a SELECT (PING, GETACK). */
    void feedRaw(byte[] bytes) {
        if (generating()) {
            server.downstream.feed(bytes);
        }
    }

    private void emitUnit(boolean transaction) {
        if (unit.isEmpty()) {
            return;
        }
        if (unit.size() == 1 || !transaction) {
            for (Op op : unit) {
                emit(op);
            }
        } else {
            // 7.0 puts the SELECT before the MULTI (7.2 moved it inside)
            select(unit.get(0).db());
            server.downstream.feed(MULTI);
            for (Op op : unit) {
                emit(op);
            }
            server.downstream.feed(EXEC);
        }
        unit.clear();
    }

    private void emit(Op op) {
        select(op.db());
        server.downstream.feed(RespEncoding.command(op.argv()));
    }

    private void select(int db) {
        Downstream d = server.downstream;
        if (d.seldb != db) {
            d.feed(RespEncoding.command("SELECT".getBytes(), Integer.toString(db).getBytes()));
            d.seldb = db;
        }
    }
}
