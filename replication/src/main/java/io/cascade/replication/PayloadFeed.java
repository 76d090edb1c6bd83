package io.cascade.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The temp file of a full sync as an InputStream that the loader reads while the link is still writing it, so
 * the payload is parsed as it arrives instead of after the whole file is on disk. The link's event loop reports
 * each chunk it wrote (written), then the end (complete) or a failure (abort); the loader thread blocks in read
 * until bytes it has not read yet are on disk. Reads past the RDB's checksum are harmless: the loader stops
 * there. Two threads: the link's event loop calls written/complete/abort, one loading thread reads.
 */
public final class PayloadFeed extends InputStream {
    /** What read throws once the transfer failed: the link's failure, which the link reports itself. */
    public static final class TransferStopped extends IOException {
        TransferStopped(String reason) {
            super("the transfer from the master stopped: " + reason);
        }
    }

    private final FileChannel file;
    /** Where the next read starts (loader thread only). */
    private long position;
    /** Bytes written to the file so far, readable. */
    private long written;
    private boolean complete;
    private String failure;

    /** Opens the file the link is writing (it must exist) for reading. */
    public PayloadFeed(Path path) throws IOException {
        this.file = FileChannel.open(path, StandardOpenOption.READ);
    }

    // ---- the link's event loop ----

    /** The file now holds {@code total} bytes of the payload. */
    synchronized void written(long total) {
        written = total;
        notifyAll();
    }

    /** The payload is whole: {@code length} bytes (an EOF mark cut off); reads end there. */
    synchronized void complete(long length) {
        written = length;
        complete = true;
        notifyAll();
    }

    /** The transfer failed: the reader stops with an IOException naming the reason. */
    public synchronized void abort(String reason) {
        if (!complete && failure == null) {
            failure = reason;
            notifyAll();
        }
    }

    // ---- the loading thread ----

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** What is on disk and not read yet, up to len bytes; waits for the link when nothing is. */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        long end;
        synchronized (this) {
            while (position == written && !complete && failure == null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the payload");
                }
            }
            if (failure != null) {
                throw new TransferStopped(failure);
            }
            end = written;
        }
        if (position >= end) {
            return -1; // complete, and all of it read
        }
        int n = (int) Math.min(len, end - position);
        ByteBuffer into = ByteBuffer.wrap(b, off, n);
        while (into.hasRemaining()) {
            int r = file.read(into, position + into.position() - off);
            if (r < 0) {
                throw new IOException("the payload file is shorter than the bytes written to it");
            }
        }
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
