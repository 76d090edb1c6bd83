package io.cascade.replication;

import io.cascade.conf.ClientOutputBufferLimit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

import java.util.List;

/**
 * One downstream replica as its master sees it (Redis's slave client fields): what it announced in REPLCONF,
 * its state (spec 4.5), the offset of the next stream byte it is owed, and what it last acknowledged. The
 * stream reaches it as views of the shared Backlog, written while its socket accepts more (Netty's
 * writability is the backpressure), so a slow replica costs only the backlog blocks it still needs.
 * Command thread only, except the volatile fields read by INFO on the same thread.
 */
public final class ReplicaSession {
    /** Redis's replstate names as INFO shows them. */
    public enum State {
        WAIT_BGSAVE_START("wait_bgsave"),
        WAIT_BGSAVE_END("wait_bgsave"),
        SEND_BULK("send_bulk"),
        ONLINE("online");

        public final String infoName;

        State(String infoName) {
            this.infoName = infoName;
        }
    }

    /** Most bytes handed to the socket in one pump: a replica that is far behind does not hog the thread. */
    private static final long PUMP_MAX = 1L << 20;

    public final Channel channel;
    public final long clientId;
    /** The address INFO shows: REPLCONF ip-address, else the peer's. */
    public final String ip;
    public final int listeningPort;
    public final boolean capaEof;
    public final boolean capaPsync2;
    /** A legacy SYNC: no +FULLRESYNC line, no ACKs expected, no ACK timeout. */
    public final boolean prePsyncSync;
    /** REPLCONF rdb-only 1 (redis-cli --rdb): the snapshot only, then the link is closed. */
    public final boolean rdbOnly;
    public State state = State.WAIT_BGSAVE_START;
    /** Offset of the next stream byte this replica gets. */
    public long sendOffset;
    /** Highest offset this replica acknowledged (REPLCONF ACK), 0 before the first. */
    public long ackOffset;
    public long ackMillis = System.currentTimeMillis();
    /** Diskless: the snapshot is out, but the stream waits for the first ACK so the EOF mark ends the payload. */
    public boolean holdUntilAck;
    /** The diskless transfer this replica's full sync is part of, or null (disk-based, or not in a sync). */
    public SocketRdbSink transfer;
    /** When the replica started waiting for a snapshot (repl-diskless-sync-delay). */
    public final long waitingSinceMillis = System.currentTimeMillis();
    public boolean closed;
    /** How long the bytes it is owed have stayed over client-output-buffer-limit replica's soft limit. */
    public final ClientOutputBufferLimit.SoftClock obufSoftLimit = new ClientOutputBufferLimit.SoftClock();

    public ReplicaSession(Channel channel, long clientId, String ip, int listeningPort, boolean capaEof,
                          boolean capaPsync2, boolean prePsyncSync, boolean rdbOnly) {
        this.channel = channel;
        this.clientId = clientId;
        this.ip = ip;
        this.listeningPort = listeningPort;
        this.capaEof = capaEof;
        this.capaPsync2 = capaPsync2;
        this.prePsyncSync = prePsyncSync;
        this.rdbOnly = rdbOnly;
    }

    /** Streams and is not held back: its sendOffset keeps moving with the backlog. */
    public boolean streaming() {
        return state == State.ONLINE && !holdUntilAck && !closed;
    }

    /** REPLCONF ACK offset: the highest acknowledged, and the time (the replica is alive). */
    public void ack(long offset) {
        ackOffset = Math.max(ackOffset, offset);
        ackMillis = System.currentTimeMillis();
        holdUntilAck = false;
    }

    /** Bytes the replica is owed that are not yet handed to its socket (its output buffer in Redis terms). */
    public long lag(Backlog backlog) {
        return backlog.endOffset() + 1 - sendOffset;
    }

    /**
     * Hands the socket what it is owed while it accepts more: the backlog views from sendOffset in one write.
     * Returns true when something was written.
     */
    public boolean pump(Backlog backlog) {
        if (!streaming() || !channel.isWritable()) {
            return false;
        }
        long owed = backlog.endOffset() + 1 - sendOffset;
        if (owed <= 0) {
            return false;
        }
        List<ByteBuf> views = backlog.from(sendOffset, PUMP_MAX);
        ByteBuf out = Unpooled.wrappedUnmodifiableBuffer(views.toArray(new ByteBuf[0]));
        sendOffset += out.readableBytes();
        channel.writeAndFlush(out, channel.voidPromise());
        return true;
    }

    /** Writes bytes straight to the socket, ahead of the stream (+FULLRESYNC, +CONTINUE, newlines). */
    public void writeDirect(byte[] bytes) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes), channel.voidPromise());
    }

    /** The INFO slaveN line's value: ip=,port=,state=,offset=,lag= (lag in seconds since the last ACK). */
    public String infoLine(long nowMillis) {
        return "ip=" + ip + ",port=" + listeningPort + ",state=" + state.infoName + ",offset=" + ackOffset
                + ",lag=" + (nowMillis - ackMillis) / 1000;
    }
}
