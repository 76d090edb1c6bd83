package io.cascade.server.scripting;

import io.cascade.conf.Log;
import io.cascade.replication.resp.RespRequest;
import io.cascade.server.net.Client;

import java.util.ArrayDeque;
import java.util.function.BiConsumer;

/**
 * A script running past busy-reply-threshold (Redis's script timeout mode): the Lua hook calls interrupt()
 * every 100000 instructions; once past the threshold it lets the command thread answer what waits meanwhile
 * (the dispatcher replies -BUSY to all but the allow_busy commands: SCRIPT KILL, FUNCTION KILL, SHUTDOWN NOSAVE)
 * and raises the kill. The calling client's own later requests wait for the end of the script, as Redis
 * protects that client. Command thread only.
 */
public final class Busy {
    public static final String BUSY_EVAL =
            "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    public static final String BUSY_FUNCTION =
            "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

    private final Scripting scripting;
    private ScriptRun timedOut;
    private Client held;
    private final ArrayDeque<RespRequest> deferred = new ArrayDeque<>();
    /** How deferred requests are run once the script ended (the dispatcher's executeNow). */
    private BiConsumer<Client, RespRequest> replay;

    Busy(Scripting scripting) {
        this.scripting = scripting;
    }

    public void onReplay(BiConsumer<Client, RespRequest> replay) {
        this.replay = replay;
    }

    /** The -BUSY text while a script is in timeout mode, else null. */
    public String busyError() {
        ScriptRun r = timedOut;
        if (r == null) {
            return null;
        }
        return r.evalMode ? BUSY_EVAL : BUSY_FUNCTION;
    }

    /**
     * True when the request must wait: it comes from the client whose script is running, or from that client
     * while its earlier waiting requests have not run yet.
     */
    public boolean defer(Client client, RespRequest request) {
        if (held == client && (timedOut != null || !deferred.isEmpty())) {
            deferred.add(request);
            return true;
        }
        return false;
    }

    /** The hook's call: null to go on, or the error that stops the script. */
    String interrupt() {
        ScriptRun r = scripting.running();
        if (r == null) {
            return null;
        }
        long threshold = scripting.server.config.getLong("busy-reply-threshold");
        if (timedOut == null && threshold > 0 && r.elapsedMillis() >= threshold) {
            Log.warning("Slow script detected: still in execution after %d milliseconds. You can try killing the "
                    + "script using the %s command. Script name is: %s.", r.elapsedMillis(),
                    r.evalMode ? "SCRIPT KILL" : "FUNCTION KILL", r.funcname);
            timedOut = r;
            r.timedOut = true;
            held = r.caller;
        }
        if (timedOut != null) {
            scripting.server.main.runPending();
        }
        if (r.killed) {
            Log.warning("Lua script killed by user with SCRIPT KILL.");
            // Redis words it so for functions too
            return "ERR Script killed by user with SCRIPT KILL...";
        }
        return null;
    }

    /** The script ended: leave timeout mode and let the caller's waiting requests run, in order. */
    void ended(ScriptRun r) {
        if (timedOut != r) {
            return;
        }
        timedOut = null;
        Client c = held;
        if (deferred.isEmpty()) {
            held = null;
            return;
        }
        scripting.server.main.submit(() -> {
            while (!deferred.isEmpty()) {
                replay.accept(c, deferred.poll());
            }
            held = null;
        });
    }
}
