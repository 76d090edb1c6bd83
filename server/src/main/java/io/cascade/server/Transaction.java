package io.cascade.server;

import io.cascade.server.command.CommandFlag;
import io.cascade.server.command.CommandSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One client's MULTI state: the queued commands and the two reasons EXEC can fail (an error while
 * queueing, or a touched WATCHed key). Command thread only.
 */
public final class Transaction {
    /** A command accepted between MULTI and EXEC, to be run by EXEC, with the flags it was queued with. */
    public record Queued(CommandSpec spec, byte[][] argv, Set<CommandFlag> flags) {
    }

    private final List<Queued> queued = new ArrayList<>();
    /** Redis's CLIENT_DIRTY_EXEC: a command was refused while queueing, so EXEC answers EXECABORT. */
    private boolean dirtyExec;

    /** Marks the transaction as failed (Redis's flagTransaction). */
    public void flag() {
        dirtyExec = true;
    }

    public boolean dirtyExec() {
        return dirtyExec;
    }

    public void queue(CommandSpec spec, byte[][] argv, Set<CommandFlag> flags) {
        // as Redis: no point keeping commands of a transaction that can only fail
        if (!dirtyExec) {
            queued.add(new Queued(spec, argv, flags));
        }
    }

    public List<Queued> queued() {
        return queued;
    }

    public int size() {
        return queued.size();
    }
}
