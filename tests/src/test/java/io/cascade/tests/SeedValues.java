package io.cascade.tests;

import io.cascade.tests.support.Twin;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Puts the same value on both servers of a Twin without needing the type's own commands on Cascade: the value
 * is built on redis-server in a scratch database with its native commands (RPUSH, HSET, SADD, SET ...), DUMPed,
 * and RESTOREd on both. So the key families' tests run on a branch that has only the key commands, and the
 * RESTORE path is exercised on every value. Test thread.
 */
final class SeedValues {
    /** The database the values are built in on redis-server; tests must not use it. */
    static final int SCRATCH_DB = 15;
    private static final String TMP = "seed:tmp";

    private SeedValues() {
    }

    static ProtocolCommand command(String name) {
        byte[] raw = name.getBytes(StandardCharsets.UTF_8);
        return () -> raw;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs one command on a Jedis connection; "$" in the arguments stands for the key. */
    static Object call(Jedis j, String key, String... cmd) {
        byte[][] args = new byte[cmd.length - 1][];
        for (int i = 1; i < cmd.length; i++) {
            args[i - 1] = b(cmd[i].equals("$") ? key : cmd[i]);
        }
        return j.sendCommand(command(cmd[0]), args);
    }

    /** The DUMP payload redis-server gives for the value the command builds (e.g. "RPUSH", "$", "a", "b"). */
    static byte[] payload(Twin twin, String... cmd) {
        try (Jedis j = twin.redis.jedis()) {
            j.select(SCRATCH_DB);
            j.del(TMP);
            for (String[] one : split(cmd)) {
                call(j, TMP, one);
            }
            byte[] p = j.dump(b(TMP));
            j.del(TMP);
            return p;
        }
    }

    /** Commands separated by ";" in one array: {"RPUSH", "$", "a", ";", "RPUSH", "$", "b"}. */
    private static List<String[]> split(String[] cmd) {
        List<String[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= cmd.length; i++) {
            if (i == cmd.length || cmd[i].equals(";")) {
                out.add(Arrays.copyOfRange(cmd, start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /** Builds the value on redis-server and RESTOREs it at {@code key} of database {@code db} on both servers. */
    static void put(Twin twin, int db, String key, String... cmd) {
        restoreBoth(twin, db, key, payload(twin, cmd));
    }

    static void put(Twin twin, String key, String... cmd) {
        put(twin, 0, key, cmd);
    }

    static void restoreBoth(Twin twin, int db, String key, byte[] payload) {
        for (Jedis j : new Jedis[] {twin.redis.jedis(), twin.cascade.jedis()}) {
            try (j) {
                j.select(db);
                Object r = j.sendCommand(command("RESTORE"), b(key), b("0"), payload, b("REPLACE"));
                if (!"OK".equals(r instanceof byte[] x ? new String(x, StandardCharsets.UTF_8) : String.valueOf(r))) {
                    throw new AssertionError("RESTORE on " + j + ": " + r);
                }
            }
        }
    }

    /** A string value on both servers. */
    static void string(Twin twin, String key, String value) {
        put(twin, key, "SET", "$", value);
    }

    /** DEBUG DIGEST on both, once Cascade has DEBUG (it comes with another family; until then nothing to compare). */
    static void sameDigest(Twin twin) throws IOException {
        try (Jedis j = twin.cascade.jedis()) {
            Object r;
            try {
                r = j.sendCommand(command("DEBUG"), b("DIGEST"));
            } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                if (e.getMessage().startsWith("ERR unknown command")) {
                    return;
                }
                throw e;
            }
        }
        twin.sameDigest();
    }
}
