package io.cascade.server.commands;

import io.cascade.server.Server;
import io.cascade.server.command.CommandContext;
import io.cascade.storage.types.RList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * SETBIT, SETRANGE and BITFIELD on a large string change the stored array in place (no copy per command)
 * when its length stays, still count as changes (dirty, WATCH) and keep the TTL; copies others made of the
 * string (COPY, SORT ... STORE) do not see the edits.
 */
class InPlaceStringEditTest {
    private static final int LARGE = 100_000; // over the 16 KiB the off-heap store keeps inline
    private HandlerHarness h;
    private Server server;
    private CommandContext c;

    @BeforeEach
    void setUp() {
        h = new HandlerHarness();
        server = h.server;
        c = h.c;
        c.db().set(b("big"), new byte[LARGE]);
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
    void editsInsideALargeStringChangeTheStoredArray() {
        byte[] live = c.db().liveString(b("big"));
        long when = System.currentTimeMillis() + 100_000;
        c.db().setExpire(b("big"), when);
        long dirty = server.dirty;
        assertEquals(":0\r\n", run("SETBIT", "big", "7", "1"));
        assertEquals(":" + LARGE + "\r\n", run("SETRANGE", "big", "10", "abc"));
        assertEquals("*2\r\n:0\r\n:255\r\n", run("BITFIELD", "big", "SET", "u8", "800", "255", "GET", "u8", "800"));
        assertEquals(dirty + 3, server.dirty);
        assertEquals(":1\r\n", run("SETBIT", "big", "7", "1")); // no change: not counted
        assertEquals("*1\r\n:255\r\n", run("BITFIELD", "big", "SET", "u8", "800", "255"));
        assertEquals(dirty + 3, server.dirty);
        byte[] now = (byte[]) c.db().get(b("big"));
        assertSame(live, now, "no copy was made");
        assertEquals(1, now[0]);
        assertArrayEquals(b("abc"), Arrays.copyOfRange(now, 10, 13));
        assertEquals((byte) 255, now[100]);
        assertEquals(LARGE, now.length);
        assertEquals(when, c.db().getExpire(b("big")));
    }

    @Test
    void growingOrSmallStringsAreStillCopied() {
        byte[] live = c.db().liveString(b("big"));
        assertEquals(":0\r\n", run("SETBIT", "big", String.valueOf(8L * LARGE), "1"));
        byte[] grown = (byte[]) c.db().get(b("big"));
        assertNotSame(live, grown);
        assertEquals(LARGE + 1, grown.length);
        assertEquals(":0\r\n", run("SETBIT", "small", "10", "1"));
        assertNull(c.db().liveString(b("small")), "a string kept inline off heap has no live array");
        assertEquals(":1\r\n", run("GETBIT", "small", "10"));
        assertEquals(":5\r\n", run("SETRANGE", "small", "2", "xyz"));
        assertArrayEquals(new byte[] {0, 0x20, 'x', 'y', 'z'}, (byte[]) c.db().get(b("small")));
    }

    @Test
    void copiesOfALargeStringDoNotSeeLaterEdits() {
        run("SETRANGE", "big", "0", "before");
        assertEquals(":1\r\n", run("COPY", "big", "copy"));
        run("RPUSH", "ids", ""); // the element "" makes the pattern big* read the key big
        assertEquals(":1\r\n", run("SORT", "ids", "BY", "nosort", "GET", "big*", "STORE", "sorted"));
        run("SETRANGE", "big", "0", "after!");
        assertArrayEquals(b("before"), Arrays.copyOf((byte[]) c.db().get(b("copy")), 6));
        RList sorted = (RList) c.db().get(b("sorted"));
        assertArrayEquals(b("before"), Arrays.copyOf(sorted.get(0), 6));
        assertArrayEquals(b("after!"), Arrays.copyOf((byte[]) c.db().get(b("big")), 6));
    }
}
