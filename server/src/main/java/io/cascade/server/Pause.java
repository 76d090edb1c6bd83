package io.cascade.server;

import io.cascade.server.command.CommandFlag;
import io.cascade.server.command.CommandSpec;
import io.cascade.server.net.Client;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * Redis's client pause (networking.c pauseClients): CLIENT PAUSE, a FAILOVER, a SHUTDOWN waiting for its
 * replicas and a MIGRATE waiting for its target (Cascade's own, see MigrateCommand) each hold a pause of their
 * own; the most restrictive one that has not ended applies. While paused the dataset stays constant: matching
 * commands are postponed (Blocking.postpone), the master's stream waits, and expired keys are hidden but not
 * deleted, so a failover loses nothing. Command thread.
 */
public final class Pause {
    /** Who paused, as Redis's pause_purpose: each purpose is lifted on its own. */
    public enum Purpose { CLIENT_COMMAND, SHUTDOWN, FAILOVER, MIGRATE }

    /** Redis's pause_type, least restrictive first. */
    public enum Type { OFF, WRITE, ALL }

    private record Event(Type type, long endMillis) {
    }

    private final Server server;
    private final Map<Purpose, Event> events = new EnumMap<>(Purpose.class);
    private Type type = Type.OFF;
    private long endMillis;

    Pause(Server server) {
        this.server = server;
    }

    /** pauseClients: for purpose, until endMillis (unix ms), at least type; a second call only extends it. */
    public void pause(Purpose purpose, long endMillis, Type type) {
        Event old = events.get(purpose);
        if (old != null) {
            type = type.compareTo(old.type) > 0 ? type : old.type;
            endMillis = Math.max(endMillis, old.endMillis);
        }
        events.put(purpose, new Event(type, endMillis));
        update();
    }

    /** unpauseClients: lifts what purpose held. */
    public void unpause(Purpose purpose) {
        if (events.remove(purpose) != null) {
            update();
        }
    }

    /**
     * checkClientPauseTimeoutAndReturnIfPaused: ends a pause whose time has come, then tells if one holds. The
     * cron calls it too, so a timed pause ends within a cron tick even when no command arrives (as Redis's).
     */
    public boolean paused() {
        if (type != Type.OFF && endMillis < System.currentTimeMillis()) {
            update();
        }
        return type != Type.OFF;
    }

    /** A pause is set (it may have timed out without a command or a cron tick noticing yet). */
    public boolean active() {
        return type != Type.OFF;
    }

    /** The pause in force: off, write or all. */
    public Type type() {
        paused();
        return type;
    }

    /**
     * processCommand's pause check: everything waits under ALL, and under WRITE what may reach the replication
     * stream (a write, PUBLISH, PFCOUNT, an EXEC holding one). Replicas are never paused (they only send
     * REPLCONF); the master's stream is, so a paused replica's offset stays put while it reads on.
     */
    boolean postpones(Client client, CommandSpec spec, Set<CommandFlag> flags) {
        if (type == Type.OFF || spec == null || client.replicaSession != null || !paused()) {
            return false;
        }
        return type == Type.ALL || Dispatcher.anyInCall(client, spec, flags,
                f -> f.contains(CommandFlag.WRITE) || f.contains(CommandFlag.MAY_REPLICATE));
    }

    private void update() {
        Type before = type;
        Type next = Type.OFF;
        for (Event e : events.values()) {
            if (e.endMillis < System.currentTimeMillis()) {
                continue;
            }
            next = e.type.compareTo(next) > 0 ? e.type : next;
        }
        events.values().removeIf(e -> e.endMillis < System.currentTimeMillis());
        long end = 0;
        for (Event e : events.values()) {
            if (e.type == next) {
                end = Math.max(end, e.endMillis);
            }
        }
        type = next;
        endMillis = end;
        // expired keys are hidden but kept while paused; a master deletes them again once it is lifted
        server.databases.setExpireDeletes(next == Type.OFF && !server.replica.isReplica());
        if (next.compareTo(before) < 0) {
            // less restrictive than before: postponed clients run again (and may be postponed again)
            server.blocking.releasePostponed();
            if (next == Type.OFF) {
                server.replica.resumeStream();
            }
        }
    }
}
