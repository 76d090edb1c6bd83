package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ACL users and their enforcement, the same requests on redis-server 7.0 and on Cascade with replies compared
 * byte for byte (rules with one command per category fit, since Redis orders single commands by hash).
 */
@ExtendWith(Servers.class)
class AclIT {
    private static ServerProcess redis;
    private static ServerProcess cascade;
    /** Each server's aclfile: it must exist when the server starts. */
    private static Path redisAcl;
    private static Path cascadeAcl;

    @BeforeAll
    static void start() throws IOException {
        redisAcl = emptyAclFile();
        cascadeAcl = emptyAclFile();
        redis = ServerProcess.redis("--aclfile", redisAcl.toString());
        cascade = ServerProcess.cascade("--save", "", "--appendonly", "no", "--enable-debug-command", "yes",
                "--aclfile", cascadeAcl.toString());
    }

    private static Path emptyAclFile() throws IOException {
        Path file = Files.createTempDirectory("acl-it-").resolve("users.acl");
        Files.writeString(file, "");
        return file;
    }

    @AfterAll
    static void stop() throws IOException {
        if (redis != null) {
            redis.close();
        }
        if (cascade != null) {
            cascade.close();
        }
        for (Path file : List.of(redisAcl, cascadeAcl)) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        }
    }

    @BeforeEach
    void onlyTheDefaultUser() throws IOException {
        for (ServerProcess s : List.of(redis, cascade)) {
            try (RawConnection c = new RawConnection(s.port())) {
                c.call("ACL", "SETUSER", "default", "reset", "on", "nopass", "~*", "&*", "+@all");
                c.call("ACL", "DELUSER", "alice", "bob", "carol", "dave");
                c.call("ACL", "LOG", "RESET");
            }
        }
    }

    /** Sends the commands in order on one connection to each server and compares every reply. */
    private static void sameSession(String[]... commands) throws IOException {
        try (RawConnection r = new RawConnection(redis.port()); RawConnection c = new RawConnection(cascade.port())) {
            for (String[] command : commands) {
                assertEquals(r.call(command), c.call(command), "reply to " + String.join(" ", command));
            }
        }
    }

    private static String[] cmd(String... words) {
        return words;
    }

    @Test
    void rulesAreDescribedBackAsRedisDoes() throws IOException {
        sameSession(
                cmd("ACL", "SETUSER", "alice", "on", ">p1", "#" + "a".repeat(64), "~obj:*", "&chan", "+get"),
                cmd("ACL", "GETUSER", "alice"),
                cmd("ACL", "SETUSER", "bob", "on", "nopass", "%R~r:*", "%W~w:*", "%RW~rw", "+@read", "+@write", "-keys"),
                cmd("ACL", "GETUSER", "bob"),
                cmd("ACL", "SETUSER", "carol", "on", "nopass", "+@all", "-@dangerous", "~*", "(+get", "~x:*)",
                        "(%R~y", "+@hash)"),
                cmd("ACL", "GETUSER", "carol"),
                cmd("ACL", "SETUSER", "dave", "reset", "+select|0", "allchannels"),
                cmd("ACL", "SETUSER", "dave", "<nopw"),
                cmd("ACL", "LIST"),
                cmd("ACL", "USERS"),
                cmd("ACL", "GETUSER", "nobody"),
                cmd("ACL", "CAT"),
                cmd("ACL", "CAT", "nosuch"));
    }

    @Test
    void badRulesAreRefusedWithRedisWordsAndChangeNothing() throws IOException {
        sameSession(
                cmd("ACL", "SETUSER", "alice", "on", "+get"),
                cmd("ACL", "SETUSER", "alice", "+set", "badrule"),
                cmd("ACL", "SETUSER", "alice", "~x", "allkeys", "~y"),
                cmd("ACL", "SETUSER", "alice", "(+get"),
                cmd("ACL", "SETUSER", "alice", "#abc"),
                cmd("ACL", "SETUSER", "alice", "+config|get|x"),
                cmd("ACL", "SETUSER", "alice", "+nosuchcommand"),
                cmd("ACL", "SETUSER", "al ice", "on"),
                cmd("ACL", "GETUSER", "alice"),
                cmd("ACL", "DELUSER", "default"),
                cmd("ACL", "GENPASS", "0"),
                cmd("ACL", "GENPASS", "x"),
                cmd("ACL", "LOG", "x"),
                cmd("ACL", "DRYRUN", "nobody", "get", "x"),
                cmd("ACL", "DRYRUN", "alice", "nosuch"),
                cmd("ACL", "DRYRUN", "alice", "get"),
                cmd("ACL", "FOO"));
    }

    @Test
    void commandsKeysAndChannelsAreCheckedAsRedisChecksThem() throws IOException {
        sameSession(
                cmd("ACL", "SETUSER", "alice", "on", ">pw", "~obj:*", "&chan", "+get", "+set", "+publish", "+eval",
                        "+multi", "+exec"),
                cmd("ACL", "DRYRUN", "alice", "get", "obj:1"),
                cmd("ACL", "DRYRUN", "alice", "get", "other"),
                cmd("ACL", "DRYRUN", "alice", "del", "obj:1"),
                cmd("ACL", "DRYRUN", "alice", "publish", "other", "x"),
                cmd("AUTH", "alice", "wrong"),
                cmd("AUTH", "alice", "pw"),
                cmd("SET", "obj:1", "v"),
                cmd("GET", "obj:1"),
                cmd("GET", "other"),
                cmd("DEL", "obj:1"),
                cmd("PUBLISH", "chan", "m"),
                cmd("PUBLISH", "other", "m"),
                cmd("EVAL", "return redis.call('get', 'other')", "0"),
                cmd("EVAL", "return redis.call('del', 'obj:1')", "0"),
                cmd("EVAL", "return redis.acl_check_cmd('get', 'other')", "0"),
                cmd("EVAL", "return redis.acl_check_cmd('get', 'obj:2')", "0"),
                cmd("MULTI"),
                cmd("GET", "obj:1"),
                cmd("DEL", "obj:1"),
                cmd("EXEC"));
    }

    @Test
    void sortByAndGetNeedAccessToEveryKey() throws IOException {
        sameSession(
                cmd("DEL", "list", "w_1", "w_2", "o_1", "o_2"),
                cmd("RPUSH", "list", "2", "1"),
                cmd("MSET", "w_1", "20", "w_2", "10", "o_1", "a", "o_2", "b"),
                cmd("ACL", "SETUSER", "alice", "on", "nopass", "~list", "~w_*", "~o_*", "+sort", "+sort_ro", "+eval"),
                cmd("ACL", "SETUSER", "bob", "on", "nopass", "%R~*", "%W~list", "+sort", "+sort_ro", "+eval"),
                cmd("AUTH", "alice", "x"),
                cmd("SORT", "list"),
                cmd("SORT", "list", "BY", "nosort"),
                cmd("SORT", "list", "BY", "w_*"),
                cmd("SORT", "list", "GET", "o_*"),
                cmd("SORT_RO", "list", "GET", "#"),
                cmd("EVAL", "return redis.pcall('sort', KEYS[1], 'by', 'w_*')", "1", "list"),
                cmd("AUTH", "bob", "x"),
                cmd("SORT", "list", "BY", "w_*", "GET", "o_*"),
                cmd("SORT_RO", "list", "BY", "w_*", "GET", "#", "GET", "o_*"),
                cmd("EVAL", "return redis.call('sort', KEYS[1], 'by', 'w_*', 'get', 'o_*')", "1", "list"),
                cmd("SORT", "list", "BY", "w_*", "STORE", "w_3"));
    }

    @Test
    void execChecksAgainTheRulesChangedSinceQueueing() throws IOException {
        for (ServerProcess s : List.of(redis, cascade)) {
            try (RawConnection admin = new RawConnection(s.port())) {
                admin.call("ACL", "SETUSER", "alice", "on", "nopass", "~*", "+get", "+set", "+multi", "+exec");
            }
        }
        try (RawConnection r = new RawConnection(redis.port()); RawConnection c = new RawConnection(cascade.port());
             RawConnection ra = new RawConnection(redis.port()); RawConnection ca = new RawConnection(cascade.port())) {
            for (String[] command : List.of(cmd("AUTH", "alice", "x"), cmd("MULTI"), cmd("SET", "k", "v"),
                    cmd("GET", "k"))) {
                assertEquals(r.call(command), c.call(command), String.join(" ", command));
            }
            String[] revoke = cmd("ACL", "SETUSER", "alice", "-set");
            assertEquals(ra.call(revoke), ca.call(revoke));
            String exec = c.call("EXEC");
            assertEquals(r.call("EXEC"), exec);
            assertTrue(exec.contains("NOPERM ACLs rules changed"), exec);
        }
    }

    @Test
    void refusalsAreLoggedWithTheirReasonAndObject() throws IOException {
        try (Jedis j = cascade.jedis(); Jedis alice = cascade.jedis()) {
            j.aclSetUser("alice", "on", ">pw", "~obj:*", "+get");
            alice.auth("alice", "pw");
            for (int i = 0; i < 3; i++) {
                assertThrowsNoPerm(() -> alice.get("other"));
            }
            assertThrowsNoPerm(() -> alice.del("obj:1"));
            List<?> log = (List<?>) j.sendCommand(() -> "ACL".getBytes(), "LOG");
            assertEquals(2, log.size(), "the three refusals of the same key are one entry");
            Map<String, String> newest = fields(log.get(0));
            assertEquals("command", newest.get("reason"));
            assertEquals("del", newest.get("object"));
            Map<String, String> repeated = fields(log.get(1));
            assertEquals("3", repeated.get("count"));
            assertEquals("key", repeated.get("reason"));
            assertEquals("toplevel", repeated.get("context"));
            assertEquals("other", repeated.get("object"));
            assertEquals("alice", repeated.get("username"));
            assertTrue(repeated.get("client-info").contains(" user=alice "), repeated.get("client-info"));
        }
    }

    private static void assertThrowsNoPerm(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            assertTrue(e.getMessage().startsWith("NOPERM"), e.getMessage());
            return;
        }
        throw new AssertionError("expected NOPERM");
    }

    /** An ACL LOG entry (a flat list in RESP2) as field to text. */
    private static Map<String, String> fields(Object entry) {
        List<?> flat = (List<?>) entry;
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < flat.size(); i += 2) {
            Object v = flat.get(i + 1);
            out.put(new String((byte[]) flat.get(i)), v instanceof byte[] b ? new String(b) : String.valueOf(v));
        }
        return out;
    }

    @Test
    void deletedUsersConnectionsAreClosed() throws IOException {
        for (ServerProcess s : List.of(redis, cascade)) {
            try (RawConnection admin = new RawConnection(s.port()); RawConnection alice = new RawConnection(s.port())) {
                admin.call("ACL", "SETUSER", "alice", "on", "nopass", "+@all", "~*");
                assertEquals("+OK\r\n", alice.call("AUTH", "alice", "x"));
                assertEquals(":1\r\n", admin.call("ACL", "DELUSER", "alice"), s.kind());
                assertTrue(alice.closedByServer(), s.kind() + " closes the deleted user's connection");
            }
        }
    }

    @Test
    void revokedChannelsDropTheSubscriber() throws IOException {
        try (RawConnection admin = new RawConnection(cascade.port()); RawConnection sub = new RawConnection(cascade.port())) {
            admin.call("ACL", "SETUSER", "alice", "on", "nopass", "+@all", "resetchannels", "&news", "&sport");
            sub.call("AUTH", "alice", "x");
            sub.call("SUBSCRIBE", "news");
            admin.call("ACL", "SETUSER", "alice", "resetchannels", "&news");
            assertEquals(":1\r\n", admin.call("PUBLISH", "news", "still subscribed"), "news is still allowed");
            assertTrue(sub.readReply().contains("still subscribed"));
            admin.call("ACL", "SETUSER", "alice", "resetchannels", "&sport");
            assertTrue(sub.closedByServer(), "news was revoked");
        }
    }

    @Test
    void aclSaveThenLoadRestoresTheUsers() throws IOException {
        try (RawConnection c = new RawConnection(cascade.port())) {
            c.call("ACL", "SETUSER", "alice", "on", ">pw", "%R~r:*", "+@read", "(+set ~w:*)");
            String before = c.call("ACL", "LIST");
            assertEquals("+OK\r\n", c.call("ACL", "SAVE"));
            String saved = Files.readString(cascadeAcl);
            assertTrue(saved.contains("user alice on #"), saved);
            c.call("ACL", "SETUSER", "bob", "on");
            assertEquals("+OK\r\n", c.call("ACL", "LOAD"));
            assertEquals(before, c.call("ACL", "LIST"), "bob is gone, alice is back as saved");
        }
    }

    @Test
    void aFileWithErrorsIsRefusedWhole() throws IOException {
        for (Path file : List.of(redisAcl, cascadeAcl)) {
            Files.writeString(file, "user alice on nopass +get\nuser alice off\n");
        }
        sameSession(cmd("ACL", "SETUSER", "bob", "on"), cmd("ACL", "LOAD"), cmd("ACL", "USERS"));
    }
}
