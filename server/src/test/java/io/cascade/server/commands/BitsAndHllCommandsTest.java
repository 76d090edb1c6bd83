package io.cascade.server.commands;

import io.cascade.server.Server;
import io.cascade.server.command.CommandContext;
import io.cascade.storage.types.HyperLogLog;
import io.cascade.storage.types.RHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bit and HyperLogLog handlers run directly against a keyspace: the type errors against non-string values
 * (which the integration tests can only create once the other families exist), and what gets written.
 */
class BitsAndHllCommandsTest {
    private HandlerHarness h;
    private Server server;
    private CommandContext c;

    @BeforeEach
    void setUp() {
        h = new HandlerHarness();
        server = h.server;
        c = h.c;
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static byte[] b(String s) {
        return HandlerHarness.b(s);
    }

    private String run(String... args) {
        return h.run(args);
    }

    @Test
    void everyBitCommandRefusesAHash() {
        RHash h = new RHash();
        h.put(b("f"), b("v"));
        c.db().set(b("h"), h);
        String wrong = "-WRONGTYPE Operation against a key holding the wrong kind of value";
        for (String[] cmd : new String[][] {{"SETBIT", "h", "0", "1"}, {"GETBIT", "h", "0"}, {"BITCOUNT", "h"},
                {"BITPOS", "h", "1"}, {"BITFIELD", "h", "GET", "u8", "0"}, {"BITFIELD", "h", "SET", "u8", "0", "1"},
                {"BITFIELD_RO", "h", "GET", "u8", "0"}, {"BITOP", "AND", "d", "h"}, {"PFADD", "h", "a"},
                {"PFCOUNT", "h"}, {"PFCOUNT", "h", "x"}, {"PFMERGE", "h"}, {"PFMERGE", "d", "h"},
                {"PFDEBUG", "GETREG", "h"}}) {
            assertEquals(wrong, run(cmd), String.join(" ", cmd));
        }
        // errors in the arguments come before the type check, as in Redis
        assertEquals("-ERR bit offset is not an integer or out of range", run("SETBIT", "h", "x", "1"));
        assertEquals("-ERR The bit argument must be 1 or 0.", run("BITPOS", "h", "2"));
        assertEquals("-ERR syntax error", run("BITOP", "NAND", "d", "h"));
        assertFalse(c.db().exists(b("d")));
    }

    @Test
    void bitopReplacesTheDestinationOfAnyTypeAndDropsItsTtl() {
        RHash h = new RHash();
        h.put(b("f"), b("v"));
        c.db().set(b("d"), h);
        c.db().setExpire(b("d"), System.currentTimeMillis() + 100_000);
        assertEquals(":0\r\n", run("SETBIT", "src", "0", "1"));
        assertEquals(":1\r\n", run("BITOP", "NOT", "d", "src"));
        assertArrayEquals(new byte[] {0x7f}, (byte[]) c.db().get(b("d")));
        assertEquals(-1, c.db().getExpire(b("d")));
        assertEquals(":0\r\n", run("BITOP", "AND", "d", "nokey"));
        assertFalse(c.db().exists(b("d")));
    }

    @Test
    void writesKeepTheTtlAndOnlyChangesAreWritten() {
        run("SETBIT", "k", "3", "1");
        long when = System.currentTimeMillis() + 100_000;
        c.db().setExpire(b("k"), when);
        long dirty = server.dirty;
        run("SETBIT", "k", "3", "1"); // no change
        run("BITFIELD", "k", "SET", "u4", "0", "1"); // the same value
        assertEquals(dirty, server.dirty);
        run("BITFIELD", "k", "SET", "u8", "8", "1");
        run("PFADD", "k2", "a");
        assertEquals(dirty + 2, server.dirty);
        assertEquals(when, c.db().getExpire(b("k")));
        assertArrayEquals(new byte[] {0x10, 0x01}, (byte[]) c.db().get(b("k")));
    }

    @Test
    void pfcountWritesTheCacheOnceAndMultiKeyCountWritesNothing() {
        run("PFADD", "h1", "a", "b", "c");
        run("PFADD", "h2", "c", "d");
        assertFalse(HyperLogLog.of((byte[]) c.db().get(b("h1"))).validCache());
        long dirty = server.dirty;
        assertEquals(":4\r\n", run("PFCOUNT", "h1", "h2", "nokey"));
        assertEquals(dirty, server.dirty);
        assertEquals(":3\r\n", run("PFCOUNT", "h1"));
        assertEquals(dirty + 1, server.dirty);
        assertTrue(HyperLogLog.of((byte[]) c.db().get(b("h1"))).validCache());
        assertEquals(":3\r\n", run("PFCOUNT", "h1"));
        assertEquals(dirty + 1, server.dirty);
        assertEquals(":0\r\n", run("PFADD", "h1", "a"));
        assertEquals(":0\r\n", run("PFADD", "h1")); // nothing new for an existing key
        assertEquals(":1\r\n", run("PFADD", "h3"));
    }

    @Test
    void stringsThatAreNotHllsAreRefused() {
        run("SETBIT", "s", "100", "1");
        String notHll = "-WRONGTYPE Key is not a valid HyperLogLog string value.";
        assertEquals(notHll, run("PFADD", "s", "a"));
        assertEquals(notHll, run("PFCOUNT", "s"));
        assertEquals(notHll, run("PFMERGE", "d", "s"));
        assertEquals(notHll, run("PFDEBUG", "ENCODING", "s"));
        assertEquals("-ERR The specified key does not exist", run("PFDEBUG", "ENCODING", "nokey"));
        run("PFADD", "h", "a");
        assertEquals("-ERR Unknown PFDEBUG subcommand 'Nope'", run("PFDEBUG", "Nope", "h"));
        assertEquals("+sparse\r\n", run("PFDEBUG", "ENCODING", "h"));
        assertEquals(":1\r\n", run("PFDEBUG", "TODENSE", "h"));
        assertEquals("+dense\r\n", run("PFDEBUG", "ENCODING", "h"));
        assertEquals("-ERR HLL encoding is not sparse", run("PFDEBUG", "DECODE", "h"));
    }
}
