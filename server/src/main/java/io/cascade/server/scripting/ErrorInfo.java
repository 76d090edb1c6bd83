package io.cascade.server.scripting;

/**
 * What luaExtractErrorInformation reads from a Lua error value on top of the stack (left there): the message
 * (with its code), the script line it came from, and whether the command behind it already counted it.
 * Command thread only.
 */
final class ErrorInfo {
    String msg;
    String source;
    String line;
    boolean ignoreStats;

    static ErrorInfo of(LuaState s, long L) {
        ErrorInfo e = new ErrorInfo();
        int t = s.type(L, -1);
        if (t == LuaState.TSTRING || t == LuaState.TNUMBER) {
            e.msg = "ERR " + s.text(L, -1);
            return e;
        }
        if (t != LuaState.TTABLE) {
            return e;
        }
        e.msg = field(s, L, "err");
        e.source = field(s, L, "source");
        e.line = field(s, L, "line");
        s.rawField(L, -1, "ignore_error_stats_update");
        if (s.type(L, -1) == LuaState.TBOOLEAN) {
            e.ignoreStats = s.n.lua_toboolean(L, -1) != 0;
        }
        s.n.lua_settop(L, -2);
        return e;
    }

    private static String field(LuaState s, long L, String name) {
        s.n.lua_getfield(L, -1, name);
        String v = s.text(L, -1);
        s.n.lua_settop(L, -2);
        return v;
    }
}
