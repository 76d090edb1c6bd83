package io.cascade.replication;

import io.cascade.storage.Snapshot;
import io.cascade.storage.rdb.Crc64;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A snapshot sent diskless to the replicas of one batch (spec 3.1): `$EOF:<40 random bytes>\r\n`, the RDB
 * with its CRC64 trailer, then the same 40 bytes. Every chunk goes to each replica's socket as a view of one
 * shared array; backlog() is what the slowest replica has not taken yet, which is what holds the snapshot
 * back. A replica whose socket fails is dropped from the batch; the others go on. Written on the command
 * thread (the snapshot steps there), where the replicas' channels are registered too (their write completions
 * arrive there as well).
 */
public final class SocketRdbSink implements Snapshot.Sink {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<Target> targets = new CopyOnWriteArrayList<>();
    private final byte[] mark;
    private final boolean checksum;
    private final Consumer<Outcome> done;
    private long crc;
    private long written;

    /** What became of the transfer: the replicas that got all of it (in order), and the bytes sent. */
    public record Outcome(SocketRdbSink sink, List<ReplicaSession> completed, boolean aborted, long bytes) {
    }

    private static final class Target {
        final ReplicaSession session;
        final AtomicLong pending = new AtomicLong();
        volatile boolean failed;
        /** When the socket last took a chunk (or the transfer began). */
        volatile long progressMillis = System.currentTimeMillis();

        Target(ReplicaSession session) {
            this.session = session;
        }
    }

    /** @param done called on the command thread's side once the last chunk or the abort has been handed out */
    public SocketRdbSink(List<ReplicaSession> batch, boolean checksum, Consumer<Outcome> done) {
        for (ReplicaSession s : batch) {
            targets.add(new Target(s));
        }
        this.checksum = checksum;
        this.done = done;
        byte[] random = new byte[20];
        RANDOM.nextBytes(random);
        this.mark = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
        byte[] header = ("$EOF:" + new String(mark, StandardCharsets.US_ASCII) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        send(header);
    }

    /** The replicas still in the batch (a failed socket drops its replica). */
    public int alive() {
        int n = 0;
        for (Target t : targets) {
            if (!t.failed && !t.session.closed) {
                n++;
            }
        }
        return n;
    }

    /**
     * Replicas that have had chunks waiting and taken none for timeoutMillis: one stuck replica must not hold
     * the shared transfer forever (spec 4.6). They are failed here; the caller closes them.
     */
    public List<ReplicaSession> stalled(long timeoutMillis) {
        List<ReplicaSession> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Target t : targets) {
            if (!t.failed && !t.session.closed && t.pending.get() > 0 && now - t.progressMillis > timeoutMillis) {
                t.failed = true;
                out.add(t.session);
            }
        }
        return out;
    }

    /** The replicas the transfer began with, those dropped from it since included. */
    public List<ReplicaSession> replicas() {
        List<ReplicaSession> out = new ArrayList<>();
        for (Target t : targets) {
            out.add(t.session);
        }
        return out;
    }

    public long written() {
        return written;
    }

    @Override
    public void write(byte[] chunk) {
        if (chunk.length == 0) {
            return;
        }
        if (checksum) {
            crc = Crc64.update(crc, chunk, 0, chunk.length);
        }
        send(chunk);
    }

    @Override
    public long backlog() {
        long max = 0;
        for (Target t : targets) {
            if (!t.failed && !t.session.closed) {
                max = Math.max(max, t.pending.get());
            }
        }
        return max;
    }

    @Override
    public void finish() {
        ByteBuffer trailer = ByteBuffer.allocate(8 + mark.length).order(ByteOrder.LITTLE_ENDIAN);
        trailer.putLong(checksum ? crc : 0).put(mark);
        send(trailer.array());
        List<ReplicaSession> ok = new ArrayList<>();
        for (Target t : targets) {
            if (!t.failed && !t.session.closed) {
                ok.add(t.session);
            }
        }
        done.accept(new Outcome(this, ok, false, written));
    }

    @Override
    public void abort() {
        done.accept(new Outcome(this, List.of(), true, written));
    }

    private void send(byte[] bytes) {
        written += bytes.length;
        for (Target t : targets) {
            if (t.failed || t.session.closed) {
                continue;
            }
            t.pending.addAndGet(bytes.length);
            ChannelFuture f = t.session.channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
            f.addListener(x -> {
                t.pending.addAndGet(-bytes.length);
                t.progressMillis = System.currentTimeMillis();
                if (!x.isSuccess()) {
                    t.failed = true;
                }
            });
        }
    }
}
