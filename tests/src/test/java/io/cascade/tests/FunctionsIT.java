package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.cascade.tests.support.Replication.await;
import static io.cascade.tests.support.Replication.awaitInSync;
import static io.cascade.tests.support.Replication.field;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * FUNCTION and FCALL on redis-server and Cascade side by side (RESP2 and RESP3), FUNCTION DUMP bytes compared,
 * and the libraries kept across a restart and carried by full syncs and the stream in both directions.
 */
@ExtendWith(Servers.class)
class FunctionsIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass();

    private static final String LIB1 = "#!lua name=lib1\n"
            + "redis.register_function('set1', function(keys, args) return redis.call('set', keys[1], args[1]) end)\n"
            + "redis.register_function{function_name='echo1', callback=function(keys, args) return {keys, args} end,"
            + " flags={'no-writes'}, description='echoes'}\n";
    private static final String LIB2 = "#!lua name=lib2\n"
            + "local function helper(x) return x * 2 end\n"
            + "redis.register_function('double2', function(keys, args) return helper(tonumber(args[1])) end)\n"
            + "redis.register_function{function_name='ro2', callback=function(keys) return redis.call('get', keys[1]) "
            + "end, flags={'no-writes', 'allow-stale'}}\n";

    /** One function: Redis lists a library's functions (and the libraries) in its hash order, seeded at random. */
    private static final String SOLO = "#!lua name=solo\n"
            + "redis.register_function{function_name='solo', callback=function(keys, args) return #keys end,"
            + " flags={'allow-stale', 'no-writes'}, description='one function'}\n";

    @BeforeEach
    void reset() throws IOException {
        twin.flushAll();
        twin.same("FUNCTION", "FLUSH");
    }

    private static void both(String[]... commands) throws IOException {
        for (int resp : new int[] {2, 3}) {
            try (Twin.Session s = twin.session()) {
                s.redis.call("HELLO", Integer.toString(resp));
                s.cascade.call("HELLO", Integer.toString(resp));
                s.same("FLUSHALL");
                s.same("FUNCTION", "FLUSH");
                for (String[] c : commands) {
                    s.same(c);
                }
            }
        }
    }

    private static String[] load(String code) {
        return new String[] {"FUNCTION", "LOAD", code};
    }

    @Test
    void loadListCallAndDelete() throws IOException {
        both(load(SOLO),
                new String[] {"FUNCTION", "LIST"},
                new String[] {"FUNCTION", "LIST", "WITHCODE"},
                new String[] {"FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "so*"},
                new String[] {"FCALL", "solo", "2", "a", "b"},
                new String[] {"FUNCTION", "DELETE", "solo"},
                load("#!lua name=plain\nredis.register_function('plain', function() return 1 end)"),
                new String[] {"FUNCTION", "LIST"},
                load(LIB1),
                new String[] {"FUNCTION", "LIST", "LIBRARYNAME", "nomatch*", "WITHCODE"},
                new String[] {"FUNCTION", "LIST", "LIBRARYNAME"},
                new String[] {"FUNCTION", "LIST", "BOGUS"},
                new String[] {"FCALL", "set1", "1", "k", "v"},
                new String[] {"FCALL", "echo1", "2", "a", "b", "c"},
                new String[] {"FCALL_RO", "echo1", "0"},
                new String[] {"FCALL_RO", "set1", "1", "k", "v"},
                new String[] {"FCALL", "nosuch", "0"},
                new String[] {"FCALL", "set1", "x"},
                new String[] {"FCALL", "set1", "-1"},
                new String[] {"FCALL", "set1", "3", "a"},
                load(LIB1),
                new String[] {"FUNCTION", "LOAD", "REPLACE", LIB1},
                new String[] {"FUNCTION", "LOAD", "BOGUS", LIB1},
                new String[] {"FUNCTION", "LOAD", "REPLACE"},
                new String[] {"FUNCTION", "STATS"},
                new String[] {"FUNCTION", "DELETE", "nosuch"},
                new String[] {"FUNCTION", "DELETE", "lib1"},
                new String[] {"FCALL", "set1", "1", "k", "v"},
                new String[] {"FUNCTION", "LIST"},
                new String[] {"FUNCTION", "FLUSH", "BAD"},
                new String[] {"FUNCTION", "FLUSH", "SYNC", "X"},
                new String[] {"FUNCTION", "FLUSH", "SYNC"},
                new String[] {"FUNCTION", "KILL"},
                new String[] {"FUNCTION", "HELP"});
        twin.sameDigest();
    }

    @Test
    void libraryErrorsReadAsRedisWordsThem() throws IOException {
        both(load(LIB1),
                load("#!lua name=other\nredis.register_function('set1', function() end)"),
                load("#!lua name=lib3\nredis.register_function('f3')"),
                load("#!lua name=lib3\nredis.register_function('f3', 'notfn')"),
                load("#!lua name=lib3\nredis.register_function(1, 2, 3)"),
                load("#!lua name=lib3\nredis.register_function{function_name='f3'}"),
                load("#!lua name=lib3\nredis.register_function{callback=function() end}"),
                load("#!lua name=lib3\nredis.register_function{function_name='f3', callback=function() end, bad=1}"),
                load("#!lua name=lib3\nredis.register_function{function_name='f3', callback=function() end, "
                        + "flags={'bogus'}}"),
                load("#!lua name=lib3\nredis.register_function{function_name='f3', callback=function() end, "
                        + "flags='no-writes'}"),
                load("#!lua name=lib3\nredis.register_function('bad-name', function() end)"),
                load("#!lua name=lib3\nredis.register_function('f3', function() end)\n"
                        + "redis.register_function('f3', function() end)"),
                load("#!lua name=lib3\nerror('boom')"),
                load("#!lua name=lib3\nreturn 1 +"),
                load("#!lua name=lib3\nredis.call('ping')"),
                load("#!lua name=lib3\nlocal x = string.len('a')"),
                load("#!lua name=lib3\nlocal x = math.random()"),
                load("#!lua name=lib3\nredis.setresp(3)"),
                load("#!lua name=lib3\nx = 1"),
                load("#!lua name=lib3"),
                load("#!lua name=lib3\n"),
                load("#!lua\nredis.register_function('f3', function() end)"),
                load("#!lua name=a-b\n"),
                load("#!lua name=x name=y\n"),
                load("#!lua foo=bar\n"),
                load("#!js name=x\n"),
                load("no shebang"),
                load("#!LUA name=lib3\nredis.register_function('f3', function() return redis.REDIS_VERSION end)"),
                new String[] {"FCALL", "f3", "0"},
                new String[] {"FUNCTION", "LIST", "LIBRARYNAME", "lib3"});
    }

    @Test
    void functionsRunLikeScripts() throws IOException {
        both(load(LIB2),
                new String[] {"FCALL", "double2", "0", "21"},
                new String[] {"SET", "k", "v"},
                new String[] {"FCALL_RO", "ro2", "1", "k"},
                load("#!lua name=lib4\nredis.register_function('err4', function() return redis.call('nosuch') end)\n"
                        + "redis.register_function('err5', function() error('plain') end)\n"
                        + "redis.register_function('resp3', function() redis.setresp(3); "
                        + "return redis.call('hgetall', 'h') end)\n"
                        + "redis.register_function('globals', function() return KEYS end)\n"
                        + "redis.register_function('writes', function() x = 1 end)\n"
                        + "redis.register_function('types', function(keys, args) return {type(keys), #args} end)"),
                new String[] {"HSET", "h", "a", "1"},
                new String[] {"FCALL", "err4", "0"},
                new String[] {"FCALL", "err5", "0"},
                new String[] {"FCALL", "resp3", "0"},
                new String[] {"FCALL", "globals", "0"},
                new String[] {"FCALL", "writes", "0"},
                new String[] {"FCALL", "types", "1", "a", "b", "c"});
    }

    /** The payload of a bulk reply read with callBinary. */
    private static String bulk(String reply) {
        return reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
    }

    /** Runs the command on both with binary arguments, comparing the replies. */
    private static String sameBinary(Twin.Session s, String... cmd) throws IOException {
        String r = s.redis.callBinary(cmd);
        assertEquals(r, s.cascade.callBinary(cmd), "reply to " + cmd[0] + " " + cmd[1]);
        return r;
    }

    @Test
    void dumpAndRestoreUseRedisPayloads() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same(load(LIB2));
            // the same bytes as redis-server's, LZF-compressed code included (one library: with more, each
            // server lists them in its own hash order)
            sameBinary(s, "FUNCTION", "DUMP");
            String payload = bulk(s.cascade.callBinary("FUNCTION", "DUMP"));
            sameBinary(s, "FUNCTION", "RESTORE", "bad payload");
            sameBinary(s, "FUNCTION", "RESTORE", payload.substring(0, payload.length() - 1) + "x");
            sameBinary(s, "FUNCTION", "RESTORE", payload);
            sameBinary(s, "FUNCTION", "RESTORE", payload, "APPEND");
            sameBinary(s, "FUNCTION", "RESTORE", payload, "BOGUS");
            sameBinary(s, "FUNCTION", "RESTORE", payload, "REPLACE");
            s.same("FUNCTION", "DELETE", "lib2");
            s.same(load(LIB1));
            s.same(load("#!lua name=lib9\nredis.register_function('double2', function() return 1 end)"));
            sameBinary(s, "FUNCTION", "RESTORE", payload, "REPLACE");
            s.same("FCALL", "double2", "0", "4");
            sameBinary(s, "FUNCTION", "RESTORE", payload, "FLUSH");
            s.same("FCALL", "double2", "0", "4");
            s.same("FUNCTION", "LIST", "LIBRARYNAME", "lib1");
            sameBinary(s, "FUNCTION", "DUMP");
            s.same("FUNCTION", "FLUSH");
            sameBinary(s, "FUNCTION", "DUMP");
            // a payload that holds no library restores as nothing
            sameBinary(s, "FUNCTION", "RESTORE", bulk(s.redis.callBinary("FUNCTION", "DUMP")));
        }
    }

    @Test
    void librariesSurviveARestart() throws Exception {
        ServerProcess c = twin.cascade;
        try (RawConnection k = new RawConnection(c.port())) {
            k.call("FUNCTION", "LOAD", LIB1);
            k.call("FCALL", "set1", "1", "k", "v");
            assertEquals("+OK\r\n", k.call("DEBUG", "RELOAD"));
            assertEquals("$2\r\nok\r\n".replace("ok", "v").replace("$2", "$1"), k.call("GET", "k"));
            assertEquals("*2\r\n*1\r\n$1\r\na\r\n*0\r\n", k.call("FCALL", "echo1", "1", "a"));
        }
    }

    /** The same libraries, code included, on both (each listed alone: the order of several is the server's). */
    private static void sameLibraries(Jedis a, Jedis b) {
        for (String lib : new String[] {"lib1", "lib2"}) {
            assertEquals(describe(a.functionListWithCode(lib)), describe(b.functionListWithCode(lib)), lib);
        }
    }

    private static String describe(List<redis.clients.jedis.resps.LibraryInfo> libs) {
        StringBuilder b = new StringBuilder();
        for (redis.clients.jedis.resps.LibraryInfo l : libs) {
            TreeSet<String> fns = new TreeSet<>();
            for (Map<String, Object> f : l.getFunctions()) {
                fns.add(String.valueOf(new TreeMap<>(f)));
            }
            b.append(l.getLibraryName()).append(' ').append(l.getEngine()).append(' ').append(fns).append(' ')
                    .append(l.getLibraryCode()).append('\n');
        }
        return b.toString();
    }

    @Test
    void fullSyncsAndTheStreamCarryLibrariesBothWays() throws Exception {
        // redis-server master, Cascade replica
        try (ServerProcess master = ServerProcess.redis(); Jedis m = master.jedis()) {
            m.functionLoad(LIB1);
            ServerProcess replica = ServerProcess.cascade("--enable-debug-command", "yes", "--replicaof",
                    "127.0.0.1 " + master.port());
            awaitInSync(master, replica);
            try (Jedis r = replica.jedis()) {
                sameLibraries(m, r);
                m.functionLoad(LIB2);
                m.fcall("set1", List.of("x"), List.of("1"));
                awaitInSync(master, replica);
                sameLibraries(m, r);
                m.functionDelete("lib1");
                awaitInSync(master, replica);
                sameLibraries(m, r);
                assertEquals("1", String.valueOf(r.fcallReadonly("ro2", List.of("x"),
                        List.of())));
            }
            replica.close();
        }
        // Cascade master, redis-server replica
        try (ServerProcess master = ServerProcess.cascade("--enable-debug-command", "yes"); Jedis m = master.jedis()) {
            m.functionLoad(LIB1);
            m.fcall("set1", List.of("k"), List.of("v"));
            ServerProcess replica = ServerProcess.redis("--replicaof", "127.0.0.1 " + master.port());
            awaitInSync(master, replica);
            try (Jedis r = replica.jedis()) {
                sameLibraries(m, r);
                m.functionLoad(LIB2);
                m.eval("redis.call('set', 'e', '1'); redis.call('incr', 'e')");
                awaitInSync(master, replica);
                sameLibraries(m, r);
                m.functionFlush();
                awaitInSync(master, replica);
                assertEquals(0, r.functionList().size());
                await(() -> field(r.info("replication"), "master_link_status").equals("up"), 5000, "link up");
            }
            replica.close();
        }
    }
}
