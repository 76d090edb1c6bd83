package io.cascade.storage.rdb;

import io.cascade.storage.Snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a snapshot to an RDB file the way Redis's rdbSave does: into a temporary file in the same directory,
 * then the CRC64 trailer (zeros when rdbchecksum is off), fsync, and a rename over the target only when all
 * of it is on disk, so a crash never leaves a half-written dump.rdb. Chunks are queued by the command thread
 * and written by this sink's own thread; the outcome completes done().
 */
public final class RdbFileSink implements Snapshot.Sink {
    private static final byte[] END = new byte[0];
    private static final byte[] ABORT = new byte[0];

    private final Path temp;
    private final Path target;
    private final boolean checksum;
    /** rdb-save-incremental-fsync: the data is synced every 4 MB, so the final fsync does not flush it all at once. */
    private final boolean incrementalFsync;
    private static final long FSYNC_EVERY = 4L << 20;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicLong backlog = new AtomicLong();
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private final Thread thread;
    private volatile long written;

    /**
     * @param temp the temporary file (Redis's temp-PID.rdb), replaced if it exists
     * @param checksum rdbchecksum: compute the CRC64 trailer
     */
    public RdbFileSink(Path temp, Path target, boolean checksum) throws IOException {
        this(temp, target, checksum, false);
    }

    /** @param incrementalFsync rdb-save-incremental-fsync (REDIS_AUTOSYNC_BYTES: every 4 MB) */
    public RdbFileSink(Path temp, Path target, boolean checksum, boolean incrementalFsync) throws IOException {
        this.temp = temp;
        this.target = target;
        this.checksum = checksum;
        this.incrementalFsync = incrementalFsync;
        FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.thread = new Thread(() -> run(ch), "cascade-rdb-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Completes with the file's size once it is renamed into place, or exceptionally (the temp file removed). */
    public CompletableFuture<Long> done() {
        return done;
    }

    /** Bytes on disk so far (INFO, progress logs). */
    public long written() {
        return written;
    }

    @Override
    public void write(byte[] chunk) {
        if (chunk.length == 0) {
            return;
        }
        backlog.addAndGet(chunk.length);
        queue.add(chunk);
    }

    @Override
    public long backlog() {
        return backlog.get();
    }

    @Override
    public void finish() {
        queue.add(END);
    }

    @Override
    public void abort() {
        queue.add(ABORT);
    }

    private void run(FileChannel ch) {
        long crc = 0;
        long synced = 0;
        try (ch) {
            while (true) {
                byte[] chunk = queue.take();
                if (chunk == ABORT) {
                    throw new IOException("snapshot aborted");
                }
                if (chunk == END) {
                    break;
                }
                if (checksum) {
                    crc = Crc64.update(crc, chunk, 0, chunk.length);
                }
                writeFully(ch, ByteBuffer.wrap(chunk));
                written += chunk.length;
                backlog.addAndGet(-chunk.length);
                if (incrementalFsync && written - synced >= FSYNC_EVERY) {
                    ch.force(false);
                    synced = written;
                }
            }
            ByteBuffer trailer = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            trailer.putLong(checksum ? crc : 0).flip();
            writeFully(ch, trailer);
            written += 8;
            ch.force(true);
        } catch (IOException | InterruptedException | RuntimeException e) {
            deleteTemp();
            done.completeExceptionally(e);
            return;
        }
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(target.toAbsolutePath().getParent());
            done.complete(written);
        } catch (IOException | RuntimeException e) {
            deleteTemp();
            done.completeExceptionally(e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Redis 7 fsyncs the directory after the rename too (fsyncFileDir), so the new name survives a crash. */
    private static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some filesystems cannot open a directory for fsync; the rename itself has happened
        }
    }

    private void deleteTemp() {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // nothing more can be done; Redis leaves it too
        }
    }
}
