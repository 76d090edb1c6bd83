package io.cascade.replication;

import io.cascade.replication.resp.RespRequest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ReplicaLink driven through an EmbeddedChannel (the test thread is its event loop): the payload's framing. */
class ReplicaLinkTest {
    @TempDir
    Path dir;

    /** Keeps the feed the link hands over, and whether the payload was declared whole. */
    private static final class Recorder implements ReplicaLink.Upstream {
        PayloadFeed feed;
        Path received;

        @Override
        public void fullResync(ReplicaLink link, String replid, long offset) {
        }

        @Override
        public void payloadStarted(ReplicaLink link, PayloadFeed f) {
            feed = f;
        }

        @Override
        public void payloadReceived(ReplicaLink link, Path file, boolean eofMarked) {
            received = file;
        }

        @Override
        public void continued(ReplicaLink link, String newReplid) {
        }

        @Override
        public void commands(ReplicaLink link, List<RespRequest> requests) {
        }

        @Override
        public void lost(ReplicaLink link, String reason, boolean keepCachedMaster) {
        }
    }

    private static void receive(EmbeddedChannel ch, byte[] bytes) {
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    private static void receive(EmbeddedChannel ch, String text) {
        receive(ch, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads what the feed offers now (it would block for more, so only what was announced is asked for). */
    private static byte[] readAnnounced(PayloadFeed feed, int atMost) throws Exception {
        byte[] buf = new byte[atMost];
        int n = feed.read(buf, 0, atMost);
        return Arrays.copyOf(buf, Math.max(n, 0));
    }

    @Test
    void theLoaderNeverReadsTheEofMarkAsPayload() throws Exception {
        Path temp = dir.resolve("temp-1.1.rdb");
        Recorder up = new Recorder();
        ReplicaLink link = new ReplicaLink(new ReplicaLink.Settings("127.0.0.1", 6379, null, null, 7000, null,
                null, -1, temp, false), up);
        EmbeddedChannel ch = new EmbeddedChannel(link);
        receive(ch, "+PONG\r\n");
        receive(ch, "+OK\r\n+OK\r\n");
        receive(ch, "+FULLRESYNC " + "a".repeat(40) + " 0\r\n");
        String mark = "0123456789abcdef0123456789abcdef01234567";
        receive(ch, "$EOF:" + mark + "\r\n");
        assertNotNull(up.feed, "the loader gets the payload as it arrives");

        byte[] payload = new byte[1000];
        Arrays.fill(payload, (byte) 'p');
        byte[] markBytes = mark.getBytes(StandardCharsets.ISO_8859_1);
        // the payload and the first half of the mark in one read: those 20 bytes could still be payload or mark
        byte[] first = new byte[payload.length + 20];
        System.arraycopy(payload, 0, first, 0, payload.length);
        System.arraycopy(markBytes, 0, first, payload.length, 20);
        receive(ch, first);
        byte[] got = readAnnounced(up.feed, first.length);
        assertTrue(got.length <= payload.length, "announced " + got.length + " bytes: the mark's first bytes among them");
        assertArrayEquals(Arrays.copyOf(payload, got.length), got);

        receive(ch, Arrays.copyOfRange(markBytes, 20, 40));
        assertEquals(temp, up.received, "the mark ends the payload");
        byte[] rest = readAnnounced(up.feed, payload.length);
        byte[] all = new byte[got.length + rest.length];
        System.arraycopy(got, 0, all, 0, got.length);
        System.arraycopy(rest, 0, all, got.length, rest.length);
        assertArrayEquals(payload, all, "the loader reads exactly the payload, none of the mark");
        assertEquals(-1, up.feed.read(new byte[10], 0, 10), "then the end");
        assertArrayEquals(payload, Files.readAllBytes(temp));
        up.feed.close();
        ch.finishAndReleaseAll();
    }
}
