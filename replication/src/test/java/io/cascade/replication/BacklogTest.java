package io.cascade.replication;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backlog across many wrap-arounds of its blocks: it answers a PSYNC for exactly the offsets it holds
 * (spec 4.2), hands out the bytes from any of them unchanged, keeps what a slow replica still needs, and
 * never holds much more than its size otherwise.
 */
class BacklogTest {
    private static final long SIZE = 16 * 1024;

    @Test
    void holdsTheNewestBytesAndAnswersForExactlyThoseOffsets() {
        Backlog b = new Backlog(SIZE, 1000); // the history is at offset 1000 when the backlog begins
        assertTrue(b.covers(1001), "nothing missing: the next offset is accepted");
        assertFalse(b.covers(1000));
        assertFalse(b.covers(1002));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 5000; i++) {
            byte[] chunk = new byte[r.nextInt(1, 300)];
            r.nextBytes(chunk);
            b.append(chunk, Long.MAX_VALUE);
            all.writeBytes(chunk);
            byte[] stream = all.toByteArray();
            long end = 1000 + stream.length;
            assertEquals(end, b.endOffset());
            assertEquals(b.firstByteOffset() + b.histlen() - 1, b.endOffset());
            assertTrue(b.histlen() >= Math.min(SIZE, stream.length), "at least its size is kept");
            assertTrue(b.histlen() < SIZE + 2 * Backlog.MAX_BLOCK, "not much more than its size: " + b.histlen());
            if (i % 97 == 0) {
                long from = b.firstByteOffset() + r.nextLong(b.histlen() + 1);
                byte[] expected = Arrays.copyOfRange(stream, (int) (from - 1001), stream.length);
                assertArrayEquals(expected, b.copyFrom(from), "the bytes from offset " + from);
                assertTrue(b.covers(b.firstByteOffset()) && b.covers(end + 1));
                assertFalse(b.covers(b.firstByteOffset() - 1) || b.covers(end + 2));
            }
        }
    }

    @Test
    void aSlowReplicaKeepsWhatItIsOwed() {
        Backlog b = new Backlog(SIZE, 0);
        byte[] chunk = new byte[1000];
        Arrays.fill(chunk, (byte) 'x');
        long owed = 1; // a replica that has read nothing yet
        for (int i = 0; i < 200; i++) {
            b.append(chunk, owed);
        }
        assertEquals(1, b.firstByteOffset(), "nothing the replica still needs is dropped");
        assertEquals(200_000, b.histlen());
        b.append(chunk, Long.MAX_VALUE); // the replica caught up (or left): the backlog shrinks to its size
        assertTrue(b.histlen() < SIZE + 2 * Backlog.MAX_BLOCK);
        assertEquals(201_000, b.endOffset());
    }

    @Test
    void viewsAreLimitedAndOutsideOffsetsRefused() {
        Backlog b = new Backlog(SIZE, 0);
        byte[] data = new byte[50_000];
        new SplittableRandom(5).nextBytes(data);
        b.append(data, Long.MAX_VALUE);
        long from = b.firstByteOffset() + 10;
        List<ByteBuf> views = b.from(from, 5000);
        int n = 0;
        for (ByteBuf v : views) {
            n += v.readableBytes();
            v.release();
        }
        assertEquals(5000, n, "at most maxBytes");
        assertThrows(IllegalArgumentException.class, () -> b.from(b.firstByteOffset() - 1, 10));
        assertEquals(0, b.copyFrom(b.endOffset() + 1).length);
    }
}
