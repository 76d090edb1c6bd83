package io.cascade.server.scripting;

import io.cascade.server.net.Client;

/** The running script's context (Redis's scriptRunCtx): who called, what it may do, what it did. Command thread. */
final class ScriptRun {
    static final int REPL_AOF = 1;
    static final int REPL_REPLICA = 2;

    final Client caller;
    /** The sha of an EVAL script or the name of a function, as error texts name it. */
    final String funcname;
    final boolean evalMode;
    /** EVAL_RO/FCALL_RO, or a script declared no-writes (SCRIPT_READ_ONLY). */
    final boolean readOnly;
    final boolean allowOom;
    final long startNanos = System.nanoTime();
    /** mstime() when the script started: the time its commands see (scriptTimeSnapshot). */
    final long snapshotMillis = System.currentTimeMillis();
    /** The FCALL/EVAL command as the caller sent it (FUNCTION STATS shows it). */
    byte[][] callerArgv = new byte[0][];
    /** Its full name (EVAL, FCALL_RO ...): the command CLIENT LIST shows for the caller meanwhile. */
    String callerCommand = "NULL";
    int replFlags = REPL_AOF | REPL_REPLICA;
    /** A write command ran: the script can no longer be killed (SCRIPT_WRITE_DIRTY). */
    boolean writeDirty;
    boolean killed;
    /** The busy-reply-threshold passed and other clients are being told -BUSY. */
    boolean timedOut;

    ScriptRun(Client caller, String funcname, boolean evalMode, boolean readOnly, boolean allowOom) {
        this.caller = caller;
        this.funcname = funcname;
        this.evalMode = evalMode;
        this.readOnly = readOnly;
        this.allowOom = allowOom;
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
