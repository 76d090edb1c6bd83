package io.cascade.server;

import io.cascade.conf.HostPort;
import io.cascade.conf.Log;
import io.cascade.replication.ReplicaSession;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.Errors;
import io.cascade.server.command.Numbers;

/**
 * The coordinated FAILOVER of Redis 7.0 (replication.c failoverCommand, updateFailoverStatus): the master
 * pauses writes, waits until a replica (the one named, or the first) has acknowledged its whole offset, then
 * becomes that replica's replica with "PSYNC replid offset FAILOVER", which makes the target promote itself
 * and take us back with +CONTINUE. Command thread.
 */
public final class Failover {
    /** failover_state, with the names INFO's master_failover_state shows. */
    public enum State {
        NO_FAILOVER("no-failover"), WAIT_FOR_SYNC("waiting-for-sync"), IN_PROGRESS("failover-in-progress");

        public final String infoName;

        State(String infoName) {
            this.infoName = infoName;
        }
    }

    private final Server server;
    private State state = State.NO_FAILOVER;
    /** The replica we fail over to; null while waiting for any replica to catch up. */
    private String targetHost;
    private int targetPort;
    /** Unix ms when the wait for the replica gives up (or, with FORCE, fails over anyway); 0 = never. */
    private long endMillis;
    private boolean force;

    Failover(Server server) {
        this.server = server;
    }

    public State state() {
        return state;
    }

    /** A PSYNC sent now carries FAILOVER. */
    public boolean inProgress() {
        return state == State.IN_PROGRESS;
    }

    /**
     * No PINGs into the stream while a timed failover holds the writes: they would move the offset the
     * replicas must reach (replicationCron's manual_failover_in_progress).
     */
    boolean suppressesPings() {
        return endMillis != 0 && server.pause.paused();
    }

    /** FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]. */
    public void command(CommandContext c) {
        if (c.argc() == 2 && c.argIs(1, "abort")) {
            if (state == State.NO_FAILOVER) {
                c.reply.error("ERR No failover in progress.");
                return;
            }
            abort("Failover manually aborted");
            c.ok();
            return;
        }
        long timeout = 0;
        boolean forceFlag = false;
        String host = null;
        long port = 0;
        for (int j = 1; j < c.argc(); j++) {
            if (c.argIs(j, "timeout") && j + 1 < c.argc() && timeout == 0) {
                Long t = Numbers.parseLong(c.argv[j + 1]);
                if (t == null) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                if (t <= 0) {
                    c.reply.error("ERR FAILOVER timeout must be greater than 0");
                    return;
                }
                timeout = t;
                j++;
            } else if (c.argIs(j, "to") && j + 2 < c.argc() && host == null) {
                Long p = Numbers.parseLong(c.argv[j + 2]);
                if (p == null) {
                    c.reply.error(Errors.NOT_INTEGER);
                    return;
                }
                host = c.arg(j + 1);
                port = p;
                j += 2;
            } else if (c.argIs(j, "force") && !forceFlag) {
                forceFlag = true;
            } else {
                c.syntaxError();
                return;
            }
        }
        if (state != State.NO_FAILOVER) {
            c.reply.error("ERR FAILOVER already in progress.");
            return;
        }
        if (server.replica.isReplica()) {
            c.reply.error("ERR FAILOVER is not valid when server is a replica.");
            return;
        }
        if (server.downstream.sessions().isEmpty()) {
            c.reply.error("ERR FAILOVER requires connected replicas.");
            return;
        }
        if (forceFlag && (timeout == 0 || host == null)) {
            c.reply.error("ERR FAILOVER with force option requires both a timeout and target HOST and IP.");
            return;
        }
        if (host != null) {
            ReplicaSession target = find(host, port);
            if (target == null) {
                c.reply.error("ERR FAILOVER target HOST and PORT is not a replica.");
                return;
            }
            if (target.state != ReplicaSession.State.ONLINE) {
                c.reply.error("ERR FAILOVER target replica is not online.");
                return;
            }
            targetHost = host;
            targetPort = (int) port;
            Log.notice("FAILOVER requested to %s:%d.", host, port);
        } else {
            Log.notice("FAILOVER requested to any replica.");
        }
        endMillis = timeout != 0 ? System.currentTimeMillis() + timeout : 0;
        force = forceFlag;
        state = State.WAIT_FOR_SYNC;
        server.pause.pause(Pause.Purpose.FAILOVER, Long.MAX_VALUE, Pause.Type.WRITE);
        c.ok();
    }

    /** updateFailoverStatus, on every cron tick: the timeout, then whether the target has caught up. */
    void cron() {
        if (state != State.WAIT_FOR_SYNC) {
            return;
        }
        long offset = server.replica.repl.masterReplOffset;
        if (endMillis != 0 && endMillis <= System.currentTimeMillis()) {
            if (force) {
                Log.notice("FAILOVER to %s:%d time out exceeded, failing over.", targetHost, targetPort);
                failOver();
            } else {
                abort("Replica never caught up before timeout");
            }
            return;
        }
        ReplicaSession replica = null;
        if (targetHost != null) {
            replica = find(targetHost, targetPort);
        } else {
            for (ReplicaSession s : server.downstream.sessions()) {
                if (s.ackOffset == offset) {
                    replica = s;
                    targetHost = s.ip;
                    targetPort = s.listeningPort;
                    break;
                }
            }
        }
        if (replica != null && replica.ackOffset == offset) {
            Log.notice("Failover target %s:%d is synced, failing over.", targetHost, targetPort);
            failOver();
        }
    }

    /** The target answered our PSYNC FAILOVER with +CONTINUE or +FULLRESYNC: it is the master now. */
    public void targetAccepted() {
        if (state == State.IN_PROGRESS) {
            clear();
        }
    }

    /** The target refused our PSYNC FAILOVER: we become a master again. */
    public void targetRefused() {
        abort("Failover target rejected psync request");
    }

    /** abortFailover: back to where we were (a master again if we had already turned replica). */
    public void abort(String why) {
        if (state == State.NO_FAILOVER) {
            return;
        }
        if (targetHost != null) {
            Log.notice("FAILOVER to %s:%d aborted: %s", targetHost, targetPort, why);
        } else {
            Log.notice("FAILOVER to any replica aborted: %s", why);
        }
        State was = state;
        clear();
        if (was == State.IN_PROGRESS) {
            server.replica.noOne("failover aborted");
        }
    }

    private void failOver() {
        state = State.IN_PROGRESS;
        server.replica.failoverTo(new HostPort(targetHost, targetPort));
    }

    /** clearFailoverState: also lifts the write pause. */
    private void clear() {
        endMillis = 0;
        force = false;
        targetHost = null;
        targetPort = 0;
        state = State.NO_FAILOVER;
        server.pause.unpause(Pause.Purpose.FAILOVER);
    }

    /** findReplica: by the address the replica announced (or connected from) and its listening port. */
    private ReplicaSession find(String host, long port) {
        for (ReplicaSession s : server.downstream.sessions()) {
            if (s.ip.equals(host) && s.listeningPort == port) {
                return s;
            }
        }
        return null;
    }
}
