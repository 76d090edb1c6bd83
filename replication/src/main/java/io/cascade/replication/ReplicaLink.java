package io.cascade.replication;

import io.cascade.conf.Log;
import io.cascade.replication.resp.RespProtocolException;
import io.cascade.replication.resp.RespRequest;
import io.cascade.replication.resp.RespRequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.cascade.replication.resp.RespEncoding.command;

/**
 * The upstream link of a replica, on the event loop its channel is registered on (the server puts it on the
 * command thread's own, so the stream needs no hand-off between threads): the 7.0 handshake (PING, AUTH, REPLCONF,
 * PSYNC, SYNC as fallback; spec 2.2), the RDB payload written to a temp file ($len or $EOF:mark framing,
 * spec 3.1), then the replication stream cut into requests with their exact wire length. What it learns goes
 * to {@link Upstream} on the link's event loop (the server's implementation acts on it there, at once); other
 * code only reads the volatile fields here and calls the thread-safe methods (ack, keepalive, startStream,
 * close).
 */
public final class ReplicaLink extends ChannelInboundHandlerAdapter implements RespRequestParser.Limits {
    /** The link states of Redis's replication.c; ROLE and INFO report them (spec 2.1). */
    public enum State {
        CONNECTING("connecting"), RECEIVE_PING_REPLY("handshake"), RECEIVE_HANDSHAKE_REPLIES("handshake"),
        RECEIVE_PSYNC_REPLY("handshake"), TRANSFER("sync"), LOADING("sync"), CONNECTED("connected");

        public final String roleName;

        State(String roleName) {
            this.roleName = roleName;
        }
    }

    /**
     * How to introduce ourselves and what to ask for. psyncReplid null: "PSYNC ? -1". failover: a master
     * handing over to this replica (FAILOVER) adds FAILOVER to its PSYNC, which asks the replica to promote itself.
     */
    public record Settings(String host, int port, String masterUser, byte[] masterAuth, int listeningPort,
                           String announceIp, String psyncReplid, long psyncOffset, Path tempFile, boolean failover) {
    }

    /** Events of the link, called on its event loop in the order they happen. */
    public interface Upstream {
        /** +FULLRESYNC (replid and offset), or the SYNC fallback (replid null, offset -1). */
        void fullResync(ReplicaLink link, String replid, long offset);

        /**
         * The payload has begun to arrive: {@code feed} reads it as it is written to the temp file, so it can be
         * parsed meanwhile (the receiver closes it). payloadReceived still follows once it is whole, or lost
         * when the transfer fails (the feed then fails its reader).
         */
        default void payloadStarted(ReplicaLink link, PayloadFeed feed) {
            try {
                feed.close();
            } catch (IOException ignored) {
                // nothing was read
            }
        }

        /** The whole payload is in {@code file}; load it, then call {@link #startStream()}. */
        void payloadReceived(ReplicaLink link, Path file, boolean eofMarked);

        /** The reply to a PSYNC ... FAILOVER was neither +FULLRESYNC nor +CONTINUE; the link is closed. */
        default void failoverRefused(ReplicaLink link, String reply) {
        }

        /** +CONTINUE: newReplid null when the master named none. The stream follows at once. */
        void continued(ReplicaLink link, String newReplid);

        /** Whole requests of the stream, in order. */
        void commands(ReplicaLink link, List<RespRequest> requests);

        /** The link is gone; keepCachedMaster false after a protocol error (the next PSYNC is "? -1"). */
        void lost(ReplicaLink link, String reason, boolean keepCachedMaster);
    }

    private static final int EOF_MARK_LENGTH = 40;
    private static final int MAX_LINE = 1024;

    private final Settings settings;
    private final Upstream upstream;
    private Channel channel;
    private ByteBuf in = Unpooled.buffer(256);
    private final ArrayDeque<String> awaited = new ArrayDeque<>();
    private final RespRequestParser parser = new RespRequestParser(this);

    public volatile State state = State.CONNECTING;
    public volatile long lastIoMillis = System.currentTimeMillis();
    /** Payload size from the $len line; -1 before it, 0 for an EOF-marked payload (INFO's convention). */
    public volatile long syncTotalBytes = -1;
    public volatile long syncReadBytes;
    /** Stream bytes read from the socket since the stream began (slave_read_repl_offset's part). */
    public volatile long streamReadBytes;

    private boolean awaitingPayloadHeader;
    private long lastProgressLogMillis = System.currentTimeMillis();
    private byte[] eofMark;
    private final byte[] lastBytes = new byte[EOF_MARK_LENGTH];
    private long payloadRemaining;
    private FileChannel file;
    /** The reader of the payload while it is written (payloadStarted), or null. */
    private PayloadFeed feed;
    private String failure;
    private boolean keepCache = true;
    private boolean lostReported;

    public ReplicaLink(Settings settings, Upstream upstream) {
        this.settings = settings;
        this.upstream = upstream;
    }

    @Override
    public long maxBulkLength() {
        return Long.MAX_VALUE;
    }

    @Override
    public boolean authRequired() {
        return false;
    }

    @Override
    public boolean isMaster() {
        return true;
    }

    /** The socket, once connected (the master client of the server is built on it). */
    public Channel channel() {
        return channel;
    }

    public Settings settings() {
        return settings;
    }

    // ---- thread-safe calls from the command thread ----

    /** REPLCONF ACK offset, written to the master (Netty queues it onto the link's thread). */
    public void ack(long offset) {
        Channel ch = channel;
        if (ch != null) {
            ch.writeAndFlush(Unpooled.wrappedBuffer(command("REPLCONF", "ACK", Long.toString(offset))));
        }
    }

    /** A bare newline: keeps the master from timing us out while we load (spec 3.2). */
    public void keepalive() {
        Channel ch = channel;
        if (ch != null) {
            ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'\n'}));
        }
    }

    /** The payload is loaded: the stream that followed it may now be applied. */
    public void startStream() {
        Channel ch = channel;
        if (ch != null) {
            ch.eventLoop().execute(() -> {
                state = State.CONNECTED;
                readStream();
            });
        }
    }

    /** Drops the link with a reason for the log. */
    public void close(String reason, boolean keepCachedMaster) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        ch.eventLoop().execute(() -> fail(reason, keepCachedMaster));
    }

    /** Called when the TCP connection could not be made. */
    public void connectFailed(String reason) {
        reportLost(reason);
    }

    // ---- the link's event loop ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        Log.notice("Non blocking connect for SYNC fired the event.");
        state = State.RECEIVE_PING_REPLY;
        send(command("PING"));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            lastIoMillis = System.currentTimeMillis();
            if (state == State.CONNECTED || state == State.LOADING) {
                streamReadBytes += buf.readableBytes();
            }
            in.writeBytes(buf);
        } finally {
            buf.release();
        }
        try {
            process();
        } catch (IOException e) {
            fail("Failed trying to write the temp DB to disk: " + e.getMessage(), true);
        } catch (RespProtocolException e) {
            fail("Protocol error from MASTER: " + e.getMessage(), false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeFile(true);
        reportLost(failure != null ? failure : lostWhy());
        in.release();
        in = Unpooled.EMPTY_BUFFER;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail("Error condition on socket for SYNC: " + cause.getMessage(), true);
    }

    private String lostWhy() {
        return switch (state) {
            case CONNECTED -> "Connection with master lost.";
            case TRANSFER -> "I/O error trying to sync with MASTER: connection lost";
            default -> "Master closed the connection during the handshake";
        };
    }

    private void process() throws IOException, RespProtocolException {
        while (in.isReadable()) {
            State s = state;
            if (s == State.TRANSFER && !awaitingPayloadHeader) {
                transfer();
                continue;
            }
            if (s == State.LOADING) {
                return; // the stream waits in the buffer until the payload is loaded
            }
            if (s == State.CONNECTED) {
                readStream();
                return;
            }
            String line = readLine();
            if (line == null) {
                return;
            }
            onLine(line);
            if (channel == null || !channel.isActive()) {
                return;
            }
        }
    }

    private String readLine() throws RespProtocolException {
        int nl = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (nl < 0) {
            if (in.readableBytes() > MAX_LINE) {
                throw new RespProtocolException("reply line too long", "reply line too long");
            }
            return null;
        }
        int len = nl - in.readerIndex();
        String line = in.toString(in.readerIndex(), len, StandardCharsets.ISO_8859_1);
        in.readerIndex(nl + 1);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private void onLine(String line) throws IOException {
        switch (state) {
            case RECEIVE_PING_REPLY -> {
                // -NOAUTH / -NOPERM: authentication comes next, so these are fine (syncWithMaster)
                if (line.startsWith("-") && !line.startsWith("-NOAUTH") && !line.startsWith("-NOPERM")
                        && !line.startsWith("-ERR operation not permitted")) {
                    fail("Error reply to PING from master: '" + line + "'", true);
                    return;
                }
                Log.notice("Master replied to PING, replication can continue...");
                sendHandshake();
            }
            case RECEIVE_HANDSHAKE_REPLIES -> {
                String step = awaited.poll();
                if (line.startsWith("-")) {
                    if ("auth".equals(step)) {
                        fail("Unable to AUTH to MASTER: " + line, true);
                        return;
                    }
                    Log.notice("(Non critical) Master does not understand REPLCONF %s: %s", step, line);
                }
                if (awaited.isEmpty()) {
                    sendPsync();
                }
            }
            case RECEIVE_PSYNC_REPLY -> onPsyncReply(line);
            case TRANSFER -> onPayloadHeader(line);
            default -> { }
        }
    }

    private void sendHandshake() {
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        if (settings.masterAuth() != null) {
            byte[] auth = settings.masterUser() != null
                    ? command("AUTH".getBytes(StandardCharsets.UTF_8), settings.masterUser().getBytes(StandardCharsets.UTF_8),
                            settings.masterAuth())
                    : command("AUTH".getBytes(StandardCharsets.UTF_8), settings.masterAuth());
            burst.writeBytes(auth);
            awaited.add("auth");
        }
        burst.writeBytes(command("REPLCONF", "listening-port", Integer.toString(settings.listeningPort())));
        awaited.add("listening-port");
        if (settings.announceIp() != null && !settings.announceIp().isEmpty()) {
            burst.writeBytes(command("REPLCONF", "ip-address", settings.announceIp()));
            awaited.add("ip-address");
        }
        burst.writeBytes(command("REPLCONF", "capa", "eof", "capa", "psync2"));
        awaited.add("capa");
        state = State.RECEIVE_HANDSHAKE_REPLIES;
        send(burst.toByteArray());
    }

    private void sendPsync() {
        state = State.RECEIVE_PSYNC_REPLY;
        String replid = "?";
        String offset = "-1";
        if (settings.psyncReplid() != null) {
            replid = settings.psyncReplid();
            offset = Long.toString(settings.psyncOffset());
            Log.notice("Trying a partial resynchronization (request %s:%s).", replid, offset);
        } else {
            Log.notice("Partial resynchronization not possible (no cached master)");
        }
        send(settings.failover() ? command("PSYNC", replid, offset, "FAILOVER") : command("PSYNC", replid, offset));
    }

    private void onPsyncReply(String line) throws IOException {
        if (line.isEmpty()) {
            return; // a newline keepalive while the master prepares the snapshot
        }
        if (line.startsWith("+FULLRESYNC")) {
            String[] parts = line.split(" ");
            String replid = parts.length > 1 && parts[1].length() == 40 ? parts[1] : null;
            long offset = parts.length > 2 ? parseLong(parts[2]) : -1;
            Log.notice("Full resync from master: %s:%d", replid, offset);
            beginTransfer();
            upstream.fullResync(this, replid, offset);
            return;
        }
        if (line.startsWith("+CONTINUE")) {
            String id = line.length() > 10 ? line.substring(10).trim() : "";
            Log.notice("Successful partial resynchronization with master.");
            state = State.CONNECTED;
            streamReadBytes += in.readableBytes(); // stream bytes that came in the same read as the reply
            upstream.continued(this, id.length() == 40 ? id : null);
            return;
        }
        if (settings.failover()) {
            // the replica we hand over to would not take over: no SYNC fallback, the failover is aborted
            Log.warning("Failover target refused PSYNC FAILOVER: %s", line);
            fail("Failover target refused the PSYNC FAILOVER request", true);
            upstream.failoverRefused(this, line);
            return;
        }
        if (line.startsWith("-NOMASTERLINK") || line.startsWith("-LOADING")) {
            fail("Master is currently unable to PSYNC but should be in the future: " + line, true);
            return;
        }
        if (!line.startsWith("-ERR")) {
            Log.warning("Unexpected reply to PSYNC from master: %s", line);
        } else {
            Log.notice("Master does not support PSYNC or is in error state (reply: %s)", line);
        }
        Log.notice("Retrying with SYNC...");
        send("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
        beginTransfer();
        upstream.fullResync(this, null, -1);
    }

    private void beginTransfer() throws IOException {
        state = State.TRANSFER;
        awaitingPayloadHeader = true;
        syncTotalBytes = -1;
        syncReadBytes = 0;
        Files.deleteIfExists(settings.tempFile());
        file = FileChannel.open(settings.tempFile(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    private void onPayloadHeader(String line) {
        if (line.isEmpty()) {
            return; // keepalive
        }
        if (line.startsWith("-")) {
            fail("MASTER aborted replication with an error: " + line, true);
            return;
        }
        if (!line.startsWith("$")) {
            fail("Bad protocol from MASTER, the first byte is not '$' (we received '" + line
                    + "'), are you sure the host and port are right?", true);
            return;
        }
        awaitingPayloadHeader = false;
        if (line.startsWith("$EOF:") && line.length() >= 5 + EOF_MARK_LENGTH) {
            eofMark = line.substring(5, 5 + EOF_MARK_LENGTH).getBytes(StandardCharsets.ISO_8859_1);
            syncTotalBytes = 0;
            Log.notice("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk");
        } else {
            payloadRemaining = parseLong(line.substring(1));
            if (payloadRemaining < 0) {
                fail("Bad payload length from MASTER: '" + line + "'", true);
                return;
            }
            syncTotalBytes = payloadRemaining;
            Log.notice("MASTER <-> REPLICA sync: receiving %d bytes from master to disk", payloadRemaining);
        }
        try {
            feed = new PayloadFeed(settings.tempFile());
        } catch (IOException e) {
            Log.warning("Unable to read the temp DB while it is received (%s): it is loaded once whole",
                    e.getMessage());
            return;
        }
        upstream.payloadStarted(this, feed);
    }

    private void transfer() throws IOException {
        int n = in.readableBytes();
        if (eofMark == null) {
            n = (int) Math.min(n, payloadRemaining);
        }
        ByteBuffer chunk = in.nioBuffer(in.readerIndex(), n);
        while (chunk.hasRemaining()) {
            file.write(chunk);
        }
        if (eofMark != null) {
            remember(in, in.readerIndex(), n);
        }
        in.skipBytes(n);
        syncReadBytes += n;
        in.discardReadBytes();
        if (feed != null) {
            // with an EOF mark the last 40 bytes may be the mark, which is cut off the file when it is recognized:
            // the loader must not read them as payload (it would find the file shorter than announced)
            feed.written(eofMark == null ? syncReadBytes : Math.max(0, syncReadBytes - EOF_MARK_LENGTH));
        }
        long now = System.currentTimeMillis();
        if (now - lastProgressLogMillis >= 5000) {
            lastProgressLogMillis = now;
            Log.notice("MASTER <-> REPLICA sync: %d MB received%s", syncReadBytes >> 20,
                    eofMark == null ? " of " + (syncTotalBytes >> 20) + " MB" : "");
        }
        boolean done;
        if (eofMark == null) {
            payloadRemaining -= n;
            done = payloadRemaining == 0;
        } else {
            // the master sends nothing after the mark until our first ACK: the mark ends what we have
            done = syncReadBytes >= EOF_MARK_LENGTH && Arrays.equals(lastBytes, eofMark);
            if (done) {
                file.truncate(file.size() - EOF_MARK_LENGTH);
            }
        }
        if (done && feed != null) {
            feed.complete(eofMarked() ? syncReadBytes - EOF_MARK_LENGTH : syncReadBytes);
            feed = null; // the loader closes it
        }
        if (done) {
            file.force(true);
            closeFile(false);
            state = State.LOADING;
            streamReadBytes += in.readableBytes(); // the stream glued to a $len payload's last byte
            Log.notice("MASTER <-> REPLICA sync: payload received (%d bytes), loading it beside the current dataset",
                    eofMark == null ? syncReadBytes : syncReadBytes - EOF_MARK_LENGTH);
            upstream.payloadReceived(this, settings.tempFile(), eofMark != null);
        }
    }

    /** Keeps the last 40 bytes received, to compare with the EOF mark. */
    private void remember(ByteBuf src, int from, int n) {
        if (n >= EOF_MARK_LENGTH) {
            src.getBytes(from + n - EOF_MARK_LENGTH, lastBytes);
            return;
        }
        System.arraycopy(lastBytes, n, lastBytes, 0, EOF_MARK_LENGTH - n);
        src.getBytes(from, lastBytes, EOF_MARK_LENGTH - n, n);
    }

    private void readStream() {
        List<RespRequest> batch = new ArrayList<>();
        try {
            RespRequest r;
            while ((r = parser.parse(in)) != null) {
                if (r.inline()) {
                    // a master speaks multibulk only; text here means we lost track of the stream
                    fail("Master using the inline protocol. Desync?", false);
                    return;
                }
                batch.add(r); // parse consumed exactly its wire bytes
            }
        } catch (RespProtocolException e) {
            fail("Protocol error from MASTER: " + e.getMessage(), false);
            return;
        } finally {
            if (!batch.isEmpty()) {
                upstream.commands(this, batch);
            }
            if (in.refCnt() > 0) {
                in.discardSomeReadBytes();
            }
        }
    }

    private void fail(String reason, boolean keepCachedMaster) {
        if (failure == null) {
            failure = reason;
            keepCache = keepCachedMaster;
        }
        if (channel != null) {
            channel.close();
        }
    }

    private void reportLost(String reason) {
        if (lostReported) {
            return;
        }
        lostReported = true;
        upstream.lost(this, reason, keepCache);
    }

    private boolean eofMarked() {
        return eofMark != null;
    }

    private void closeFile(boolean delete) {
        if (feed != null) {
            feed.abort(failure != null ? failure : lostWhy()); // the loader stops; it closes the feed
            feed = null;
        }
        if (file == null) {
            return;
        }
        try {
            file.close();
            if (delete) {
                Files.deleteIfExists(settings.tempFile());
            }
        } catch (IOException e) {
            Log.warning("Unable to close the temp file of the sync: %s", e.getMessage());
        }
        file = null;
    }

    private void send(byte[] bytes) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
