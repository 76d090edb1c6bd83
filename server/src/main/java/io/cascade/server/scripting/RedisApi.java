package io.cascade.server.scripting;

import io.cascade.conf.Log;
import io.cascade.server.command.CommandSpec;
import io.cascade.storage.types.G17;
import party.iroiro.luajava.JFunction;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The redis.* functions scripts call (luaRegisterRedisAPI and the EVAL additions), as Java functions pushed into
 * Lua; each returns its result count, or -1 to raise the error value it pushed. Command thread only.
 */
final class RedisApi {
    static final String NUMBER_KEYS = "REDIS_VERSION_NUM LOG_DEBUG LOG_VERBOSE LOG_NOTICE LOG_WARNING REPL_NONE "
            + "REPL_AOF REPL_SLAVE REPL_REPLICA REPL_ALL";

    private final Scripting scripting;
    private LuaState s;

    RedisApi(Scripting scripting) {
        this.scripting = scripting;
    }

    void attach(LuaState state) {
        this.s = state;
    }

    /** The functions of the redis table; withEval adds what only EVAL's interpreter has. */
    Map<String, JFunction> functions(boolean withEval) {
        Map<String, JFunction> m = new LinkedHashMap<>();
        m.put("call", l -> command(l, true));
        m.put("pcall", l -> command(l, false));
        m.put("log", this::log);
        m.put("setresp", this::setresp);
        m.put("sha1hex", this::sha1hex);
        m.put("error_reply", this::errorReply);
        m.put("status_reply", this::statusReply);
        m.put("set_repl", this::setRepl);
        m.put("acl_check_cmd", this::aclCheckCmd);
        if (withEval) {
            // outside the debugger these do nothing, as in Redis; replicate_commands is always on in 7.0
            m.put("breakpoint", l -> {
                l.getLuaNatives();
                ((Lua51Natives) l.getLuaNatives()).lua_pushboolean(l.getPointer(), 0);
                return 1;
            });
            m.put("debug", l -> 0);
            m.put("replicate_commands", l -> {
                ((Lua51Natives) l.getLuaNatives()).lua_pushboolean(l.getPointer(), 1);
                return 1;
            });
        }
        return m;
    }

    /** Pushes the redis table's constants into the table on top of the stack. */
    static void constants(LuaState s, long L) {
        var n = s.n;
        n.lua_pushnumber(L, 0x07000f);
        n.lua_setfield(L, -2, "REDIS_VERSION_NUM");
        n.lua_pushstring(L, "7.0.15");
        n.lua_setfield(L, -2, "REDIS_VERSION");
        String[] logs = {"LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING"};
        for (int i = 0; i < logs.length; i++) {
            n.lua_pushnumber(L, i);
            n.lua_setfield(L, -2, logs[i]);
        }
        n.lua_pushnumber(L, 0);
        n.lua_setfield(L, -2, "REPL_NONE");
        n.lua_pushnumber(L, ScriptRun.REPL_AOF);
        n.lua_setfield(L, -2, "REPL_AOF");
        n.lua_pushnumber(L, ScriptRun.REPL_REPLICA);
        n.lua_setfield(L, -2, "REPL_SLAVE");
        n.lua_pushnumber(L, ScriptRun.REPL_REPLICA);
        n.lua_setfield(L, -2, "REPL_REPLICA");
        n.lua_pushnumber(L, ScriptRun.REPL_AOF | ScriptRun.REPL_REPLICA);
        n.lua_setfield(L, -2, "REPL_ALL");
    }

    private int raise(long L, String error) {
        LuaReplies.pushError(s, L, error);
        return -1;
    }

    /** luaRedisGenericCommand: redis.call raises a command's error, redis.pcall returns it as a table. */
    private int command(Lua l, boolean raise) {
        long L = l.getPointer();
        ScriptRun run = scripting.running();
        if (run == null) {
            return raise(L, "redis.call/pcall can only be called inside a script invocation");
        }
        var n = s.n;
        int argc = n.lua_gettop(L);
        if (argc == 0) {
            LuaReplies.pushError(s, L, "Please specify at least one argument for this redis lib call");
            return raise ? -1 : 1;
        }
        byte[][] argv = new byte[argc][];
        for (int j = 0; j < argc; j++) {
            int t = n.lua_type(L, j + 1);
            if (t == LuaState.TNUMBER) {
                // not Lua's own number format, which loses precision
                argv[j] = G17.format(n.lua_tonumber(L, j + 1)).getBytes(StandardCharsets.US_ASCII);
            } else if (t == LuaState.TSTRING) {
                argv[j] = s.bytes(L, j + 1);
            } else {
                n.lua_settop(L, 0);
                LuaReplies.pushError(s, L, "Lua redis lib command arguments must be strings or integers");
                return raise ? -1 : 1;
            }
        }
        n.lua_settop(L, 0);
        String err = scripting.call(run, argv);
        if (err != null) {
            LuaReplies.pushError(s, L, err);
            LuaReplies.markIgnoreStats(s, L);
            return raise ? -1 : 1;
        }
        var buf = scripting.replyBuffer();
        boolean isError = buf.getByte(buf.readerIndex()) == '-';
        LuaReplies.push(s, L, buf);
        return raise && isError ? -1 : 1;
    }

    private int log(Lua l) {
        long L = l.getPointer();
        var n = s.n;
        int argc = n.lua_gettop(L);
        if (argc < 2) {
            return raise(L, "redis.log() requires two arguments or more.");
        }
        if (n.lua_isnumber(L, 1) == 0) {
            return raise(L, "First argument must be a number (log level).");
        }
        int level = (int) n.lua_tonumber(L, 1);
        if (level < 0 || level > 3) {
            return raise(L, "Invalid debug level.");
        }
        StringBuilder b = new StringBuilder();
        for (int j = 2; j <= argc; j++) {
            String t = s.text(L, j);
            if (t != null) {
                if (j != 2) {
                    b.append(' ');
                }
                b.append(t);
            }
        }
        Log.Level[] levels = {Log.Level.DEBUG, Log.Level.VERBOSE, Log.Level.NOTICE, Log.Level.WARNING};
        Log.log(levels[level], "%s", b);
        return 0;
    }

    private int setresp(Lua l) {
        long L = l.getPointer();
        ScriptRun run = scripting.running();
        if (run == null) {
            return raise(L, "redis.setresp can only be called inside a script invocation");
        }
        var n = s.n;
        if (n.lua_gettop(L) != 1) {
            return raise(L, "redis.setresp() requires one argument.");
        }
        int resp = (int) n.lua_tonumber(L, 1);
        if (resp != 2 && resp != 3) {
            return raise(L, "RESP version must be 2 or 3.");
        }
        scripting.scriptClient().resp = resp;
        return 0;
    }

    private int sha1hex(Lua l) {
        long L = l.getPointer();
        var n = s.n;
        if (n.lua_gettop(L) != 1) {
            return raise(L, "wrong number of arguments");
        }
        byte[] b = s.bytes(L, 1);
        n.lua_pushstring(L, Scripting.sha1hex(b == null ? new byte[0] : b));
        return 1;
    }

    private int errorReply(Lua l) {
        long L = l.getPointer();
        var n = s.n;
        if (n.lua_gettop(L) != 1 || n.lua_type(L, -1) != LuaState.TSTRING) {
            LuaReplies.pushError(s, L, "wrong number or type of arguments");
            return 1;
        }
        String err = s.text(L, -1);
        // C stops at a NUL: the text is what strlen sees
        int nul = err.indexOf('\0');
        if (nul >= 0) {
            err = err.substring(0, nul);
        }
        LuaReplies.pushError(s, L, err.startsWith("-") ? err : "-" + err);
        return 1;
    }

    private int statusReply(Lua l) {
        long L = l.getPointer();
        var n = s.n;
        if (n.lua_gettop(L) != 1 || n.lua_type(L, -1) != LuaState.TSTRING) {
            LuaReplies.pushError(s, L, "wrong number or type of arguments");
            return 1;
        }
        n.lua_pushvalue(L, -1);
        s.wrapTop(L, "ok");
        return 1;
    }

    private int setRepl(Lua l) {
        long L = l.getPointer();
        ScriptRun run = scripting.running();
        if (run == null) {
            return raise(L, "redis.set_repl can only be called inside a script invocation");
        }
        var n = s.n;
        if (n.lua_gettop(L) != 1) {
            return raise(L, "redis.set_repl() requires two arguments.");
        }
        int flags = (int) n.lua_tonumber(L, -1);
        if ((flags & ~(ScriptRun.REPL_AOF | ScriptRun.REPL_REPLICA)) != 0) {
            return raise(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
        }
        run.replFlags = flags;
        return 0;
    }

    /** redis.acl_check_cmd: whether the user running the script may run the command; an unknown one is an error. */
    private int aclCheckCmd(Lua l) {
        long L = l.getPointer();
        ScriptRun run = scripting.running();
        if (run == null) {
            return raise(L, "redis.acl_check_cmd can only be called inside a script invocation");
        }
        var n = s.n;
        int argc = n.lua_gettop(L);
        if (argc == 0) {
            return raise(L, "Please specify at least one argument for this redis lib call");
        }
        byte[][] argv = new byte[argc][];
        for (int j = 0; j < argc; j++) {
            int t = n.lua_type(L, j + 1);
            if (t != LuaState.TNUMBER && t != LuaState.TSTRING) {
                n.lua_settop(L, 0);
                return raise(L, "Lua redis lib command arguments must be strings or integers");
            }
            argv[j] = s.bytes(L, j + 1);
        }
        n.lua_settop(L, 0);
        CommandSpec spec = scripting.server.commands.lookup(argv);
        if (spec == null) {
            return raise(L, "Invalid command passed to redis.acl_check_cmd()");
        }
        n.lua_pushboolean(L, scripting.server.acl.check(run.caller.user, spec, argv) == null ? 1 : 0);
        return 1;
    }
}
