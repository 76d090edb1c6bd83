package io.cascade.server.scripting;

import io.cascade.replication.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import party.iroiro.luajava.lua51.Lua51Natives;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sandboxed interpreter and the reply conversions, without a server. */
class LuaStateTest {
    private String stop;
    private final LuaState s = new LuaState(Map.of(), l -> {
        if (stop == null) {
            return 0;
        }
        ((Lua51Natives) l.getLuaNatives()).lua_pushstring(l.getPointer(), stop);
        return 1;
    });
    private final long L = s.main;

    @AfterEach
    void close() {
        s.close();
    }

    /** Compiles and runs a script as EVAL does and returns its reply in RESP2 (or the error reply). */
    private String run(String script, int resp) {
        byte[] body = script.getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(0, s.load(L, body, "@user_script"), () -> s.text(L, -1));
        s.registry(L, "cascade_env");
        s.n.lua_setfenv(L, -2);
        s.registry(L, "cascade_errh");
        s.n.lua_insert(L, -2);
        ByteBuf buf = Unpooled.buffer();
        RespWriter w = new RespWriter().target(buf, resp);
        if (s.n.lua_pcall(L, 0, 1, -2) != 0) {
            ErrorInfo e = ErrorInfo.of(s, L);
            w.error(e.msg + (e.source != null ? " @" + e.source + ":" + e.line : ""));
        } else {
            LuaReplies.reply(s, L, w, 2);
        }
        s.n.lua_settop(L, 0);
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void valuesConvertAsRedisConvertsThem() {
        assertEquals(":3\r\n", run("return 3.99", 2));
        assertEquals(":-3\r\n", run("return -3.99", 2));
        assertEquals(":-9223372036854775808\r\n", run("return 0/0", 2));
        assertEquals("*2\r\n:1\r\n:2\r\n", run("return {1, 2, nil, 3}", 2));
        assertEquals(":1\r\n", run("return true", 2));
        assertEquals("$-1\r\n", run("return false", 2));
        assertEquals("_\r\n", run("return false", 3));
        assertEquals("+ok\r\n", run("return {ok='ok'}", 2));
        assertEquals("-MY err\r\n", run("return {err='MY err'}", 2));
        assertEquals(",3.5\r\n", run("return {double=3.5}", 3));
        assertEquals("$3\r\n3.5\r\n", run("return {double=3.5}", 2));
        assertEquals("%1\r\n$1\r\na\r\n:1\r\n", run("return {map={a=1}}", 3));
        assertEquals("~1\r\n$1\r\na\r\n", run("return {set={a=true}}", 3));
    }

    @Test
    void bytesSurviveBothWays() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        s.push(L, all);
        assertArrayEquals(all, s.bytes(L, -1));
        assertEquals(256, s.n.lua_objlen(L, -1));
        s.n.lua_settop(L, 0);
    }

    @Test
    void theSandboxRefusesWritesAndUnknownNames() {
        assertEquals("-ERR user_script:1: Attempt to modify a readonly table @@user_script:1\r\n", run("x = 1", 2));
        assertEquals("-ERR user_script:1: Script attempted to access nonexistent global variable 'y' "
                + "@@user_script:1\r\n", run("return y", 2));
        assertEquals("-ERR user_script:1: Attempt to modify a readonly table @@user_script:1\r\n",
                run("string.foo = 1", 2));
        assertEquals("$5\r\ntable\r\n", run("return type(_G)", 2));
    }

    @Test
    void aKillStopsTheScriptAtItsLine() {
        s.registry(L, "cascade_sethook");
        s.n.lua_pushboolean(L, 1);
        s.n.lua_pcall(L, 1, 0, 0);
        stop = "ERR Script killed by user with SCRIPT KILL...";
        assertEquals("-ERR Script killed by user with SCRIPT KILL... @@user_script:2\r\n",
                run("local i = 0\nwhile true do i = i + 1 end", 2));
        assertEquals("-ERR Script killed by user with SCRIPT KILL... @@user_script:1\r\n",
                run("while true do pcall(function() while true do end end) end", 2));
    }

}
