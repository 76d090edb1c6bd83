package io.cascade.server.scripting;

import io.cascade.conf.Log;
import io.cascade.replication.resp.RespWriter;
import io.cascade.server.Server;
import io.cascade.server.acl.Acl;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandFlag;
import io.cascade.server.command.CommandSpec;
import io.cascade.server.command.Errors;
import io.cascade.server.commands.ClientCommands;
import io.cascade.server.net.Client;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The EVAL side of Redis's scripting (eval.c and script.c): the script cache, the interpreter, the checks
 * before a script runs (scriptPrepareForRun) and before each command it calls (scriptCall), and running the
 * commands through the server's own call path as the script client. The interpreter starts on first use.
 * Command thread only.
 */
public final class Scripting {
    static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

    /** A cached EVAL script: its body and the flags of its shebang. */
    record Script(byte[] body, int flags) {
    }

    final Server server;
    private final RedisApi api = new RedisApi(this);
    private LuaState lua;
    private final Map<String, Script> scripts = new LinkedHashMap<>();
    private long scriptsBodyBytes;
    private ScriptRun run;
    private final Client scriptClient;
    private final ByteBuf replyBuf = Unpooled.buffer(256);
    private final RespWriter innerReply = new RespWriter();
    public final Busy busy;
    /** DEBUG SET-DISABLE-DENY-SCRIPTS: scripts may call the commands flagged noscript (tests use it). */
    public boolean disableDenyScript;

    public Scripting(Server server) {
        this.server = server;
        // the script client has no connection: an embedded channel stands in, and MONITOR shows it as "lua"
        this.scriptClient = new Client(0, new EmbeddedChannel(), "lua");
        this.scriptClient.authenticated = true;
        this.busy = new Busy(this);
    }

    ScriptRun running() {
        return run;
    }

    /** True while a script runs (other clients are answered -BUSY once it is past busy-reply-threshold). */
    public boolean isRunning() {
        return run != null;
    }

    Client scriptClient() {
        return scriptClient;
    }

    ByteBuf replyBuffer() {
        return replyBuf;
    }

    private LuaState lua() {
        if (lua == null) {
            lua = new LuaState(api.functions(true), l -> {
                String stop = busy.interrupt();
                if (stop == null) {
                    return 0;
                }
                l.getLuaNatives();
                lua.n.lua_pushstring(l.getPointer(), stop);
                return 1;
            });
            api.attach(lua);
        }
        return lua;
    }

    public int scriptCount() {
        return scripts.size();
    }

    /** Memory of the cached bodies (INFO's used_memory_scripts_eval, roughly). */
    public long scriptsMemory() {
        return scriptsBodyBytes;
    }

    /** The Lua heap in bytes (INFO's used_memory_lua): what lua_gc(LUA_GCCOUNT) reports. */
    public long luaMemory() {
        if (lua == null) {
            return 32 * 1024;
        }
        return lua.n.lua_gc(lua.main, 3, 0) * 1024L + lua.n.lua_gc(lua.main, 4, 0);
    }

    /** SCRIPT FLUSH: a new interpreter and an empty cache (scriptingReset). */
    public void flush() {
        if (lua != null) {
            lua.close();
            lua = null;
        }
        scripts.clear();
        scriptsBodyBytes = 0;
    }

    public boolean exists(String sha) {
        // the cache's keys compare without case (dictSdsKeyCaseCompare)
        return scripts.containsKey(sha.toLowerCase(Locale.ROOT));
    }

    /**
     * getCommandFlags for EVAL and FCALL (evalGetCommandFlags, fcallGetCommandFlags): the flags processCommand
     * gates the call on. A script that declares flags replaces the command's write, deny-oom and stale flags
     * with its own and drops may-replicate (scriptFlagsToCmdFlags); one that declares none, or is unknown,
     * keeps the command's.
     */
    public Set<CommandFlag> commandFlags(CommandSpec spec, byte[][] argv) {
        int declared = switch (spec.fullName) {
            case "eval", "eval_ro" -> shebangFlags(argv[1]);
            case "evalsha", "evalsha_ro" -> {
                Script script = argv[1].length == 40 ? scripts.get(text(argv[1]).toLowerCase(Locale.ROOT)) : null;
                yield script == null ? -1 : script.flags();
            }
            case "fcall", "fcall_ro" -> server.functions.declaredFlags(argv[1]);
            default -> -1;
        };
        if (declared < 0 || (declared & ScriptFlags.EVAL_COMPAT_MODE) != 0) {
            return spec.flags;
        }
        EnumSet<CommandFlag> flags = EnumSet.copyOf(spec.flags);
        flags.removeAll(EnumSet.of(CommandFlag.STALE, CommandFlag.DENYOOM, CommandFlag.WRITE,
                CommandFlag.MAY_REPLICATE));
        if ((declared & (ScriptFlags.ALLOW_OOM | ScriptFlags.NO_WRITES)) == 0) {
            flags.add(CommandFlag.DENYOOM);
        }
        if ((declared & ScriptFlags.NO_WRITES) == 0) {
            flags.add(CommandFlag.WRITE);
        }
        if ((declared & ScriptFlags.ALLOW_STALE) != 0) {
            flags.add(CommandFlag.STALE);
        }
        return flags;
    }

    /** The flags of an EVAL body: the cached script's, else its shebang's; -1 when the shebang is invalid. */
    private int shebangFlags(byte[] body) {
        Script script = scripts.get(sha1hex(body));
        if (script != null) {
            return script.flags();
        }
        try {
            return ScriptFlags.parse(body).flags();
        } catch (ScriptException e) {
            return -1;
        }
    }

    static String sha1hex(byte[] b) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(b);
            StringBuilder sb = new StringBuilder(40);
            for (byte x : d) {
                sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * luaCreateFunction: compiles the body into the cache (once) and returns its sha, or replies the error and
     * returns null.
     */
    public String create(RespWriter reply, byte[] body) {
        String sha = sha1hex(body);
        if (scripts.containsKey(sha)) {
            return sha;
        }
        ScriptFlags.Shebang shebang;
        try {
            shebang = ScriptFlags.parse(body);
        } catch (ScriptException e) {
            reply.error(e.getMessage());
            return null;
        }
        LuaState s = lua();
        long L = s.main;
        // the shebang line goes but its line feed stays, so line numbers are the user's
        if (s.load(L, body, shebang.length(), body.length - shebang.length(), "@user_script") != 0) {
            reply.error("ERR Error compiling script (new function): " + s.text(L, -1));
            s.n.lua_settop(L, 0);
            return null;
        }
        s.registry(L, "cascade_env");
        s.n.lua_setfenv(L, -2);
        s.n.lua_setfield(L, LuaState.REGISTRY, "f_" + sha);
        scripts.put(sha, new Script(body, shebang.flags()));
        scriptsBodyBytes += body.length + 40;
        return sha;
    }

    /** EVAL's and FCALL's numkeys: at most the arguments after it, not negative; else replies the error. */
    static boolean numkeysInRange(CommandContext c, long numkeys) {
        if (numkeys > c.argc() - 3) {
            c.reply.error("ERR Number of keys can't be greater than number of args");
            return false;
        } else if (numkeys < 0) {
            c.reply.error("ERR Number of keys can't be negative");
            return false;
        }
        return true;
    }

    /** evalGenericCommand: EVAL, EVALSHA and their _RO forms. */
    public void eval(CommandContext c, boolean bySha, boolean ro) {
        Long numkeys = c.argLong(2);
        if (numkeys == null) {
            return;
        }
        if (!numkeysInRange(c, numkeys)) {
            return;
        }
        String sha;
        if (bySha) {
            sha = c.arg(1).toLowerCase(Locale.ROOT);
            if (!scripts.containsKey(sha)) {
                c.reply.error(NOSCRIPT);
                return;
            }
        } else {
            sha = create(c.reply, c.argv[1]);
            if (sha == null) {
                return;
            }
        }
        Script script = scripts.get(sha);
        ScriptRun r = prepare(c, sha, script.flags(), ro, true);
        if (r == null) {
            return;
        }
        LuaState s = lua();
        long L = s.main;
        s.registry(L, "cascade_errh");
        s.n.lua_getfield(L, LuaState.REGISTRY, "f_" + sha);
        int nk = numkeys.intValue();
        s.registry(L, "cascade_base");
        array(s, L, c.argv, 3, nk);
        s.n.lua_setfield(L, -2, "KEYS");
        array(s, L, c.argv, 3 + nk, c.argc() - 3 - nk);
        s.n.lua_setfield(L, -2, "ARGV");
        s.n.lua_settop(L, -2);
        execute(c, r, s, L, 0);
    }

    /** luaCreateArray: a Lua array of the arguments from..from+count. */
    static void array(LuaState s, long L, byte[][] argv, int from, int count) {
        s.n.lua_createtable(L, count, 0);
        for (int j = 0; j < count; j++) {
            s.push(L, argv[from + j]);
            s.n.lua_rawseti(L, -2, j + 1);
        }
    }

    /**
     * scriptPrepareForRun: refuses a script the server state does not allow (stale replica, writes on a
     * read-only replica or while persistence fails, a write script through *_RO, too few good replicas); else
     * starts the run context with the caller's db and RESP2.
     */
    ScriptRun prepare(CommandContext c, String funcname, int flags, boolean ro, boolean evalMode) {
        Client caller = c.client;
        boolean stale = server.replica.isReplica() && !server.replica.linkUp()
                && !server.config.getBool("replica-serve-stale-data");
        boolean obey = caller.master;
        if ((flags & ScriptFlags.EVAL_COMPAT_MODE) == 0) {
            if (stale && (flags & ScriptFlags.ALLOW_STALE) == 0) {
                c.reply.error("MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' "
                        + "and 'allow-stale' flag is not set on the script.");
                return null;
            }
            if ((flags & ScriptFlags.NO_WRITES) == 0) {
                if (server.replica.isReplica() && server.config.getBool("replica-read-only") && !obey) {
                    c.reply.error("READONLY Can not run script with write flag on readonly replica");
                    return null;
                }
                if (server.persistence.writesDenied() && !obey) {
                    c.reply.error("MISCONF Redis is configured to save RDB snapshots, but it's currently unable "
                            + "to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only "
                            + "scripts.");
                    return null;
                }
                if (ro) {
                    c.reply.error("ERR Can not execute a script with write flag using *_ro command.");
                    return null;
                }
                if (!server.replica.isReplica() && notEnoughGoodReplicas()) {
                    c.reply.error("NOREPLICAS Not enough good replicas to write.");
                    return null;
                }
            }
            // no-writes implies allow-oom, and was tested above: the error need not mention it
            if (server.evictions.preCommandOom && server.evictions.enabled()
                    && (flags & (ScriptFlags.ALLOW_OOM | ScriptFlags.NO_WRITES)) == 0) {
                c.reply.error("OOM allow-oom flag is not set on the script, can not run it when used memory > "
                        + "'maxmemory'");
                return null;
            }
        } else if (stale) {
            c.reply.error("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
            return null;
        }
        boolean readOnly = ro || ((flags & ScriptFlags.EVAL_COMPAT_MODE) == 0 && (flags & ScriptFlags.NO_WRITES) != 0);
        boolean allowOom = (flags & ScriptFlags.EVAL_COMPAT_MODE) == 0 && (flags & ScriptFlags.ALLOW_OOM) != 0;
        ScriptRun r = new ScriptRun(caller, funcname, evalMode, readOnly, allowOom);
        r.callerArgv = c.argv;
        r.callerCommand = c.spec.fullName;
        scriptClient.db = caller.db;
        scriptClient.resp = 2;
        // the script's commands run as the caller's user (what a command reads of its client's permissions)
        scriptClient.user = caller.user;
        return r;
    }

    private boolean notEnoughGoodReplicas() {
        long need = server.config.getLong("min-replicas-to-write");
        long maxLag = server.config.getLong("min-replicas-max-lag");
        return need > 0 && maxLag > 0 && server.downstream.goodReplicas(maxLag) < need;
    }

    /**
     * luaCallFunction: with the error handler and the function (and nargs arguments) on the stack, runs it
     * under the busy hook and replies its result or its error to the caller. The script itself never
     * propagates: its commands do, in one MULTI/EXEC unit (scriptResetRun's preventCommandPropagation).
     */
    void execute(CommandContext c, ScriptRun r, LuaState s, long L, int nargs) {
        run = r;
        RespWriter reply = c.reply;
        server.propagation.prevent();
        boolean hook = server.config.getLong("busy-reply-threshold") > 0;
        try {
            if (hook) {
                setHook(s, L, true);
            }
            int err = s.n.lua_pcall(L, nargs, 1, -2 - nargs);
            if (hook) {
                // no script runs any more: the hook, on every line after a kill, must not raise it again here
                run = null;
                setHook(s, L, false);
            }
            if (r.timedOut) {
                // other clients' commands ran meanwhile: their replies were flushed and the shared writer
                // moved on, so the caller's reply starts again from its own (new) output buffer
                reply = server.clients.replyTo(r.caller);
            }
            if (err != 0) {
                errorReply(s, L, reply, r);
            } else {
                LuaReplies.reply(s, L, reply, scriptClient.resp);
            }
        } finally {
            s.n.lua_settop(L, 0);
            run = null;
            busy.ended(r);
            c.reply = reply;
            // a Lua collection step now and then, as Redis does every 50 calls
            if (++gcCount == 50) {
                s.n.lua_gc(L, 5, 50);
                gcCount = 0;
            }
        }
    }

    private int gcCount;

    private static void setHook(LuaState s, long L, boolean on) {
        s.registry(L, "cascade_sethook");
        s.n.lua_pushboolean(L, on ? 1 : 0);
        int top = s.n.lua_gettop(L) - 2;
        s.n.lua_pcall(L, 1, 0, 0);
        s.n.lua_settop(L, top);
    }

    /** The error a script ended with, as luaCallFunction words it. */
    private static void errorReply(LuaState s, long L, RespWriter reply, ScriptRun r) {
        if (s.type(L, -1) != LuaState.TTABLE) {
            String msg = s.text(L, -1);
            if (msg == null) {
                msg = "execution failure";
            }
            if (msg.length() > 100) {
                msg = msg.substring(0, 100);
            }
            reply.error("ERR Error running script " + r.funcname + ", " + msg + "\n");
            return;
        }
        ErrorInfo e = ErrorInfo.of(s, L);
        String text = e.msg == null ? "" : e.msg;
        if (e.line != null && e.source != null) {
            text += " script: " + r.funcname + ", on " + e.source + ":" + e.line + ".";
        }
        if (e.ignoreStats) {
            reply.errorCounted(text);
        } else {
            reply.error(text);
        }
    }

    /**
     * scriptCall: the checks on a command a script calls, then the command itself run as the script client;
     * its reply is left in replyBuffer(). Returns the refusal's text instead when a check fails.
     */
    String call(ScriptRun r, byte[][] argv) {
        CommandSpec spec = server.commands.lookup(argv);
        String refused = refusal(r, spec, argv);
        if (refused != null) {
            // counted now, as Redis's afterErrorReply and incrCommandStatsOnError do (the Lua error is marked as
            // counted, so the script's own error reply does not count it again)
            server.stats.countError(refused.startsWith("-") ? refused.substring(1) : "ERR " + refused);
            if (spec != null) {
                server.commandStats(spec).rejected++;
            }
            return refused;
        }
        if (spec.has(CommandFlag.WRITE)) {
            r.writeDirty = true;
        }
        replyBuf.clear();
        innerReply.target(replyBuf, scriptClient.resp);
        boolean replicate = (r.replFlags & ScriptRun.REPL_REPLICA) != 0;
        boolean before = server.propagation.suppressed;
        server.propagation.suppressed = !replicate;
        try {
            server.callFromScript(scriptClient, spec, argv, innerReply);
        } finally {
            server.propagation.suppressed = before;
        }
        return null;
    }

    /** The checks of scriptCall before the command runs: the refusal's text, or null when it may run. */
    private String refusal(ScriptRun r, CommandSpec spec, byte[][] argv) {
        if (spec == null || !spec.arityAccepts(argv.length)) {
            return spec == null ? "Unknown Redis command called from script"
                    : "Wrong number of args calling Redis command from script";
        }
        if (!disableDenyScript && spec.has(CommandFlag.NOSCRIPT)) {
            return "This Redis command is not allowed from script";
        }
        if (server.replica.isReplica() && !server.replica.linkUp()
                && !server.config.getBool("replica-serve-stale-data") && !spec.has(CommandFlag.STALE)) {
            return "Can not execute the command on a stale replica";
        }
        // scriptVerifyACL: the command is checked against the user of the client that runs the script
        Acl.Denied denied = server.acl.check(r.caller.user, spec, argv);
        if (denied != null) {
            server.acl.logRefusal(denied, "lua", r.caller.user, spec, argv,
                    ClientCommands.describe(server, r.caller, r.callerCommand));
            return "The user executing the script " + switch (denied.reason()) {
                case KEY -> "can't access at least one of the keys mentioned in the command arguments";
                case CHANNEL -> "can't publish to the channel mentioned in the command";
                default -> "can't run this command or subcommand";
            };
        }
        boolean write = spec.has(CommandFlag.WRITE);
        if (r.readOnly && (write || spec.has(CommandFlag.MAY_REPLICATE))) {
            return "Write commands are not allowed from read-only scripts.";
        }
        if (write && !r.writeDirty) {
            if (server.replica.isReplica() && server.config.getBool("replica-read-only") && !r.caller.master) {
                return "-READONLY You can't write against a read only replica.";
            }
            if (server.persistence.writesDenied()) {
                return "-" + Errors.MISCONF;
            }
            if (!server.replica.isReplica() && notEnoughGoodReplicas()) {
                return "-NOREPLICAS Not enough good replicas to write.";
            }
        }
        // scriptVerifyOOM: only before the script's first write, which cannot be undone halfway
        if (!r.allowOom && server.evictions.enabled() && !r.caller.master && !r.writeDirty
                && server.evictions.preCommandOom && spec.has(CommandFlag.DENYOOM)) {
            return "-" + Errors.OOM;
        }
        return null;
    }

    /** SCRIPT KILL and FUNCTION KILL (scriptKill). */
    public void kill(RespWriter reply, boolean isEval) {
        ScriptRun r = run;
        if (r == null) {
            reply.error("NOTBUSY No scripts in execution right now.");
            return;
        }
        if (r.caller.master) {
            reply.error("UNKILLABLE The busy script was sent by a master instance in the context of replication "
                    + "and cannot be killed.");
            return;
        }
        if (r.writeDirty) {
            reply.error("UNKILLABLE Sorry the script already executed write commands against the dataset. You can "
                    + "either wait the script termination or kill the server in a hard way using the SHUTDOWN "
                    + "NOSAVE command.");
            return;
        }
        if (isEval && !r.evalMode) {
            reply.error(Busy.BUSY_FUNCTION);
            return;
        }
        if (!isEval && r.evalMode) {
            reply.error(Busy.BUSY_EVAL);
            return;
        }
        r.killed = true;
        reply.simple("OK");
    }

    /** Runs a library operation, replying its refusal (and returning null) when it throws one. */
    public static String tryCreate(CommandContext c, Supplier<String> op) {
        try {
            return op.get();
        } catch (ScriptException e) {
            c.reply.error(e.getMessage());
            return null;
        }
    }

    /** FUNCTION STATS: the running function (or null) and the engine's counts. */
    public void functionStats(CommandContext c) {
        ScriptRun r = run;
        if (r != null && r.evalMode) {
            c.reply.error(Busy.BUSY_EVAL);
            return;
        }
        c.reply.map(2);
        c.reply.bulk("running_script");
        if (r == null) {
            c.reply.nullBulk();
        } else {
            c.reply.map(3);
            c.reply.bulk("name");
            c.reply.bulk(r.funcname);
            c.reply.bulk("command");
            c.reply.array(r.callerArgv.length);
            for (byte[] a : r.callerArgv) {
                c.reply.bulk(a);
            }
            c.reply.bulk("duration_ms");
            c.reply.integer(r.elapsedMillis());
        }
        c.reply.bulk("engines");
        c.reply.map(1);
        c.reply.bulk("LUA");
        c.reply.map(2);
        c.reply.bulk("libraries_count");
        c.reply.integer(server.functions.libraryCount());
        c.reply.bulk("functions_count");
        c.reply.integer(server.functions.functionCount());
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static void logKill() {
        Log.warning("Lua script killed by user with SCRIPT KILL.");
    }
}
