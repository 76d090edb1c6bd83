package io.cascade.replication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** PayloadFeed: a reader that follows the temp file while the link writes it, ends with it or fails with it. */
class PayloadFeedTest {
    @TempDir
    Path dir;

    /** Writes data to the file in chunks, reporting each to the feed as the link does. */
    private static void writeInChunks(FileChannel out, PayloadFeed feed, byte[] data, int from, int to)
            throws IOException {
        for (int at = from; at < to; at += 1000) {
            int n = Math.min(1000, to - at);
            out.write(ByteBuffer.wrap(data, at, n));
            feed.written(at + n);
        }
    }

    private static CompletableFuture<byte[]> readAll(PayloadFeed feed) {
        return CompletableFuture.supplyAsync(() -> {
            try (feed) {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] buf = new byte[777];
                for (int n; (n = feed.read(buf, 0, buf.length)) >= 0; ) {
                    got.write(buf, 0, n);
                }
                return got.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void readsWhatIsWrittenUntilTheEndOfThePayload() throws Exception {
        byte[] data = new byte[100_000];
        Arrays.setAll(new int[data.length], i -> data[i] = (byte) (i * 31));
        Path file = dir.resolve("temp.rdb");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            PayloadFeed feed = new PayloadFeed(file);
            CompletableFuture<byte[]> read = readAll(feed);
            writeInChunks(out, feed, data, 0, 60_000);
            Thread.sleep(50);
            assertFalse(read.isDone()); // waits for the rest
            writeInChunks(out, feed, data, 60_000, data.length);
            out.write(ByteBuffer.wrap(new byte[40])); // an EOF mark, cut off by complete
            feed.complete(data.length);
            assertArrayEquals(data, read.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFailedTransferStopsTheReader() throws Exception {
        Path file = dir.resolve("temp.rdb");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            PayloadFeed feed = new PayloadFeed(file);
            CompletableFuture<byte[]> read = readAll(feed);
            writeInChunks(out, feed, new byte[5000], 0, 5000);
            feed.abort("connection lost");
            ExecutionException e = assertThrows(ExecutionException.class, () -> read.get(10, TimeUnit.SECONDS));
            assertInstanceOf(PayloadFeed.TransferStopped.class, e.getCause().getCause());
            assertEquals("the transfer from the master stopped: connection lost", e.getCause().getCause().getMessage());
        }
    }

    @Test
    void anInterruptStopsAWaitingReader() throws Exception {
        Path file = dir.resolve("temp.rdb");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             PayloadFeed feed = new PayloadFeed(file)) {
            Throwable[] thrown = new Throwable[1];
            Thread reader = new Thread(() -> {
                try {
                    feed.read(new byte[10], 0, 10);
                } catch (IOException e) {
                    thrown[0] = e;
                }
            });
            reader.start();
            Thread.sleep(50);
            reader.interrupt();
            reader.join(10_000);
            assertFalse(reader.isAlive());
            assertInstanceOf(InterruptedIOException.class, thrown[0]);
        }
    }
}
