package io.cascade.tests;

import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;

/** EVAL, EVALSHA, EVAL_RO and SCRIPT on redis-server and Cascade side by side, in RESP2 and RESP3. */
@ExtendWith(Servers.class)
class ScriptingIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass();

    @BeforeEach
    void reset() throws IOException {
        twin.flushAll();
        twin.same("SCRIPT", "FLUSH");
    }

    /** Each script on both servers in RESP2, then again in RESP3. */
    private static void both(String[]... commands) throws IOException {
        for (int resp : new int[] {2, 3}) {
            try (Twin.Session s = twin.session()) {
                // HELLO's own reply names the server: only the protocol switch matters here
                s.redis.call("HELLO", Integer.toString(resp));
                s.cascade.call("HELLO", Integer.toString(resp));
                s.same("FLUSHALL");
                for (String[] c : commands) {
                    s.same(c);
                }
            }
        }
    }

    private static String[] eval(String script, String... keysAndArgs) {
        String[] out = new String[keysAndArgs.length + 2];
        out[0] = "EVAL";
        out[1] = script;
        System.arraycopy(keysAndArgs, 0, out, 2, keysAndArgs.length);
        return out;
    }

    @Test
    void returnValuesConvertAsRedisConvertsThem() throws IOException {
        both(eval("return 1", "0"),
                eval("return 3.99", "0"),
                eval("return -3.99", "0"),
                eval("return 1e300", "0"),
                eval("return 0/0", "0"),
                eval("return 'hello'", "0"),
                eval("return ''", "0"),
                eval("return true", "0"),
                eval("return false", "0"),
                eval("return nil", "0"),
                eval("return {}", "0"),
                eval("return {1, 2, 3, 'x', {4, 5}}", "0"),
                eval("return {1, 2, nil, 3}", "0"),
                eval("return {1, false, true, 'a'}", "0"),
                eval("return {ok='fine'}", "0"),
                eval("return {ok='line\\r\\nbreak'}", "0"),
                eval("return {err='MYERR custom'}", "0"),
                eval("return {err='no code'}", "0"),
                eval("return redis.status_reply('PONG')", "0"),
                eval("return redis.error_reply('My Error')", "0"),
                eval("return redis.error_reply('-X with dash')", "0"),
                eval("return {double=3.5}", "0"),
                eval("return {big_number='123456789012345678901234567890'}", "0"),
                eval("return {map={a=1}}", "0"),
                eval("return {set={a=true}}", "0"),
                eval("return {verbatim_string={format='txt', string='hello'}}", "0"),
                eval("return {1, {ok='x'}, {err='ERR inner'}}", "0"));
    }

    @Test
    void booleansFollowTheProtocolTheScriptChose() throws IOException {
        both(eval("redis.setresp(3); return true", "0"),
                eval("redis.setresp(3); return false", "0"),
                eval("redis.setresp(2); return false", "0"),
                eval("redis.setresp(4)", "0"),
                eval("redis.setresp()", "0"));
    }

    @Test
    void commandRepliesConvertIntoLuaInBothProtocols() throws IOException {
        both(new String[] {"HSET", "h", "f", "v", "g", "w"},
                new String[] {"SADD", "s", "m"},
                new String[] {"ZADD", "z", "1.5", "a"},
                eval("return redis.call('hgetall', 'h')", "0"),
                eval("redis.setresp(3); local r = redis.call('hgetall', 'h'); return {r.map.f, r.map.g}", "0"),
                eval("redis.setresp(3); return redis.call('hgetall', 'h')", "0"),
                eval("redis.setresp(3); return redis.call('smembers', 's')", "0"),
                eval("redis.setresp(3); return redis.call('zscore', 'z', 'a')", "0"),
                eval("redis.setresp(3); return type(redis.call('zscore', 'z', 'a').double)", "0"),
                eval("redis.setresp(3); return redis.call('get', 'nokey') == nil", "0"),
                eval("return redis.call('get', 'nokey')", "0"),
                eval("return type(redis.call('get', 'nokey'))", "0"),
                eval("return redis.call('ping')", "0"),
                eval("return redis.call('ping')['ok']", "0"),
                eval("return redis.call('zrange', 'z', 0, -1, 'withscores')", "0"),
                eval("redis.setresp(3); return redis.call('zrange', 'z', 0, -1, 'withscores')", "0"),
                eval("redis.setresp(3); return redis.call('debug', 'protocol', 'bignum')", "0"),
                eval("redis.setresp(3); return redis.call('debug', 'protocol', 'true')", "0"),
                eval("redis.setresp(3); return redis.call('debug', 'protocol', 'verbatim')", "0"),
                eval("redis.setresp(3); return redis.call('debug', 'protocol', 'attrib')", "0"));
    }

    @Test
    void argumentsAndNumbersKeepTheirBytes() throws IOException {
        both(eval("return {KEYS[1], KEYS[2], ARGV[1], ARGV[2]}", "2", "k1", "k2", "a1", "a\u00e9\u0001z"),
                eval("redis.call('set', KEYS[1], ARGV[1]); return redis.call('get', KEYS[1])", "1", "bin",
                        "x\u00ff\u0000y"),
                eval("return string.len(ARGV[1])", "0", "\u00e9\u00e9"),
                eval("redis.call('set', 'n', 3.5); return redis.call('get', 'n')", "0"),
                eval("redis.call('set', 'n', 1/3); return redis.call('get', 'n')", "0"),
                eval("redis.call('set', 'n', 100); return redis.call('get', 'n')", "0"),
                eval("return redis.call('incrbyfloat', 'f', 0.1)", "0"),
                eval("return redis.call('set', 'x', {})", "0"),
                eval("return redis.call()", "0"),
                eval("return redis.pcall()", "0"),
                eval("return redis.sha1hex('')", "0"),
                eval("return redis.sha1hex('Pizza & Mandolino')", "0"),
                eval("return redis.sha1hex()", "0"));
        twin.sameDigest();
    }

    @Test
    void errorsReadAsRedisWordsThem() throws IOException {
        both(new String[] {"SET", "str", "a"},
                eval("a = 1", "0"),
                eval("return b", "0"),
                eval("string.x = 1", "0"),
                eval("redis.call = nil", "0"),
                eval("return redis.call('nosuch')", "0"),
                eval("return redis.call('get')", "0"),
                eval("return redis.call('incr', 'str')", "0"),
                eval("return redis.pcall('incr', 'str')", "0"),
                eval("local ok, e = pcall(redis.call, 'incr', 'str'); return e", "0"),
                eval("return redis.call('multi')", "0"),
                eval("return redis.call('eval', 'return 1', 0)", "0"),
                eval("return 1 +", "0"),
                eval("error('plain')", "0"),
                eval("error({err='CODE with table'})", "0"),
                eval("return 1 + nil", "0"),
                eval("return os.time()", "0"),
                eval("return print", "0"),
                eval("return loadfile", "0"),
                eval("local t = {}; t.x = 1; return t.x", "0"),
                eval("return type(loadstring)..type(unpack)..type(load)", "0"),
                eval("return setfenv", "0"),
                eval("return getfenv", "0"),
                eval("return newproxy", "0"),
                eval("return _G.x", "0"),
                eval("return 1", "-1"),
                eval("return 1", "2", "a"),
                eval("return 1", "x"),
                new String[] {"EVAL"},
                new String[] {"EVAL", "return 1"});
    }

    @Test
    void evalshaAndTheScriptCache() throws IOException {
        both(new String[] {"SCRIPT", "LOAD", "return 'cached'"},
                new String[] {"EVALSHA", "00b2cab1e1a4ad3b3dd7a0f8ec0a11eb3e1b0a2d", "0"},
                new String[] {"SCRIPT", "EXISTS", "4e6d8fc8bb01276962cce5371fa795a7763657ae", "ffff"},
                new String[] {"EVAL", "return 'cached'", "0"},
                new String[] {"SCRIPT", "LOAD", "return 1 +"},
                new String[] {"EVALSHA", "short", "0"},
                new String[] {"SCRIPT", "FLUSH", "BAD"},
                new String[] {"SCRIPT", "FLUSH", "ASYNC"},
                new String[] {"SCRIPT", "BOGUS"},
                new String[] {"SCRIPT", "HELP"});
        try (Twin.Session s = twin.session()) {
            String sha = s.same("SCRIPT", "LOAD", "return {KEYS[1], ARGV[1]}");
            String bare = sha.substring(sha.indexOf('\n') + 1).trim();
            s.same("EVALSHA", bare, "1", "k", "v");
            s.same("EVALSHA", bare.toUpperCase(), "1", "k", "v");
            s.same("EVALSHA_RO", bare, "1", "k", "v");
            s.same("SCRIPT", "EXISTS", bare, bare.toUpperCase());
            s.same("SCRIPT", "FLUSH");
            s.same("EVALSHA", bare, "1", "k", "v");
        }
    }

    @Test
    void shebangFlagsAndReadOnlyScripts() throws IOException {
        both(eval("#!lua\nreturn redis.call('set', 'k', 'v')", "0"),
                eval("#!lua flags=no-writes\nreturn redis.call('set', 'k', 'v')", "0"),
                eval("#!lua flags=no-writes\nreturn redis.call('get', 'k')", "0"),
                eval("#!lua flags=no-writes,allow-oom,allow-stale,no-cluster,allow-cross-slot-keys\nreturn 1", "0"),
                eval("#!lua flags=bogus\nreturn 1", "0"),
                eval("#!lua name=x\nreturn 1", "0"),
                eval("#!python\nreturn 1", "0"),
                eval("#!lua", "0"),
                eval("#!lua\nerror('second line')", "0"),
                new String[] {"EVAL_RO", "return redis.call('set', 'k', 'v')", "0"},
                new String[] {"EVAL_RO", "return redis.call('get', 'k')", "0"},
                new String[] {"EVAL_RO", "#!lua\nreturn 1", "0"},
                new String[] {"EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0"},
                new String[] {"EVAL_RO", "return redis.call('publish', 'ch', 'm')", "0"});
        twin.sameDigest();
    }

    @Test
    void scriptsRunCommandsOfEveryFamilyAndSelectStaysInside() throws IOException {
        both(eval("redis.call('select', 1); redis.call('set', 'in1', 'v'); return redis.call('dbsize')", "0"),
                new String[] {"DBSIZE"},
                eval("redis.call('rpush', 'l', 'a', 'b'); return redis.call('blpop', 'l', 0)", "0"),
                eval("return redis.call('blpop', 'empty', 0)", "0"),
                eval("redis.call('zadd', 'z', 1, 'a', 2, 'b'); return redis.call('zrangebyscore', 'z', '-inf', '+inf')",
                        "0"),
                eval("redis.call('hset', 'h', 'a', 1); return redis.call('hincrby', 'h', 'a', 5)", "0"),
                eval("return redis.call('type', 'h')", "0"),
                eval("return redis.call('object', 'encoding', 'h')", "0"),
                eval("return redis.call('exists', 'h', 'l', 'nokey')", "0"),
                eval("return redis.call('config', 'get', 'maxmemory')", "0"),
                eval("return redis.call('client', 'list')", "0"),
                eval("return redis.call('subscribe', 'x')", "0"));
        twin.sameDigest();
    }

    @Test
    void theLuaApiAroundCommands() throws IOException {
        both(eval("return redis.REDIS_VERSION", "0"),
                eval("return redis.REDIS_VERSION_NUM", "0"),
                eval("return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}", "0"),
                eval("return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}",
                        "0"),
                eval("redis.log(redis.LOG_WARNING, 'from a script'); return 1", "0"),
                eval("redis.log(redis.LOG_WARNING)", "0"),
                eval("redis.log('x', 'y')", "0"),
                eval("redis.log(9, 'y')", "0"),
                eval("return redis.replicate_commands()", "0"),
                eval("redis.set_repl(redis.REPL_ALL); return 1", "0"),
                eval("redis.set_repl(99)", "0"),
                eval("redis.set_repl()", "0"),
                eval("return redis.breakpoint()", "0"),
                eval("return redis.debug('x')", "0"),
                eval("return redis.acl_check_cmd('set', 'k', 'v')", "0"),
                eval("return redis.acl_check_cmd('nosuch')", "0"),
                eval("return {pcall(function() error({err='ERR t'}) end)}", "0"),
                eval("return {pcall(function() error('s') end)}", "0"),
                eval("return {pcall(function() return 1, 2 end)}", "0"),
                eval("local t = {} setmetatable(t, {__index=function() return 7 end}) return t.x", "0"),
                eval("return tostring(math.huge)", "0"),
                eval("return string.format('%d-%s', 5, 'x')", "0"),
                eval("return table.concat({'a','b'}, ',')", "0"),
                eval("return select('#', unpack({1, 2, 3}))", "0"),
                eval("return loadstring('return 7')()", "0"),
                eval("return {string.byte('AB', 1, 2)}", "0"));
    }
}
