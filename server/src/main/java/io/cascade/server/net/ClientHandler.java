package io.cascade.server.net;

import io.cascade.replication.resp.RespProtocolException;
import io.cascade.replication.resp.RespRequest;
import io.cascade.replication.resp.RespRequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one client connection on its Netty I/O thread: accumulates bytes, cuts them into requests and hands
 * each to the command thread. It stops reading while too many requests wait (backpressure), and before
 * authentication it hands over one request at a time, because the parser's limits depend on AUTH's outcome.
 */
public final class ClientHandler extends ChannelInboundHandlerAdapter implements RespRequestParser.Limits {
    /** Requests queued for the command thread before this connection stops being read. */
    public static final int MAX_PENDING = 256;

    private final Gateway gateway;
    private Client client;
    private RespRequestParser parser;
    private ByteBuf cumulation;
    /** Set after a protocol error: the rest of the input is ignored until the connection closes. */
    private boolean broken;
    /** Waiting for the command thread to finish an unauthenticated request before parsing the next one. */
    private boolean awaitingAuth;
    /** The server knows this client (it passed admission), so it must hear of its disconnection. */
    private boolean admitted;

    /** What the handler needs from the server; calls are made on the I/O thread. */
    public interface Gateway {
        /** Admission (maxclients, protected mode): returns an error line to write before closing, or null. */
        String admit(Client client);

        long nextClientId();

        long maxBulkLength();

        boolean passwordRequired();

        void connected(Client client);

        /** Requests parsed from one read, to run in order. */
        void requests(Client client, List<RespRequest> requests);

        void protocolError(Client client, RespProtocolException error, String bufferSample);

        void disconnected(Client client);

        /** The socket takes writes again after it had too much queued (a replica being streamed to). */
        void writable(Client client);

        /** One read from a socket: counts its bytes (total_net_input_bytes, total_reads_processed). */
        void countInput(long bytes);

        /** client-query-buffer-limit, in bytes. */
        long queryBufferLimit();

        /** Logs a client dropped for an oversized query buffer. */
        void queryBufferOverflow(Client client, long bytes);
    }

    public ClientHandler(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = new Client(gateway.nextClientId(), ctx.channel());
        client.resumeReading = () -> ctx.executor().execute(() -> resume(ctx));
        parser = new RespRequestParser(this);
        String refusal = gateway.admit(client);
        if (refusal != null) {
            broken = true;
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(refusal.getBytes(StandardCharsets.UTF_8)))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        client.authenticated = !gateway.passwordRequired();
        admitted = true;
        gateway.connected(client);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (broken) {
            in.release();
            return;
        }
        gateway.countInput(in.readableBytes());
        cumulation = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        drain(ctx);
        if (cumulation != null && cumulation.readableBytes() > gateway.queryBufferLimit()) {
            // client-query-buffer-limit: Redis frees such a client at once, without a reply
            broken = true;
            gateway.queryBufferOverflow(client, cumulation.readableBytes());
            ctx.close();
        }
    }

    private void drain(ChannelHandlerContext ctx) {
        // everything parsed from one read goes to the command thread as one task: one queue operation per
        // read instead of one per request, which is what pipelining needs
        List<RespRequest> batch = null;
        try {
            while (!broken && !awaitingAuth && cumulation != null && cumulation.isReadable()) {
                RespRequest request = parser.parse(cumulation);
                if (request == null) {
                    break;
                }
                if (batch == null) {
                    batch = new ArrayList<>(4);
                }
                // the pause flag is set before the request is queued, so the command thread sees it in time
                if (client.pending.incrementAndGet() >= MAX_PENDING) {
                    client.readingPaused = true;
                    ctx.channel().config().setAutoRead(false);
                }
                if (!client.authenticated) {
                    awaitingAuth = true;
                    client.readingPaused = true;
                    ctx.channel().config().setAutoRead(false);
                }
                batch.add(request);
            }
        } catch (RespProtocolException e) {
            broken = true;
            if (batch != null) {
                gateway.requests(client, batch);
                batch = null;
            }
            gateway.protocolError(client, e, sample(cumulation));
        }
        if (batch != null) {
            gateway.requests(client, batch);
        }
        if (cumulation != null) {
            if (!cumulation.isReadable() || broken) {
                cumulation.release();
                cumulation = null;
            } else {
                cumulation.discardSomeReadBytes();
            }
        }
        client.bufferedQueryBytes = cumulation == null ? 0 : cumulation.readableBytes();
    }

    /** Called on this I/O thread when the command thread has caught up with this client. */
    private void resume(ChannelHandlerContext ctx) {
        awaitingAuth = false;
        if (!ctx.channel().isActive()) {
            return;
        }
        drain(ctx);
        // read again whatever the backlog: if it is still large, the next read pauses again and sets the
        // flag that makes the command thread call back (waiting here for a lower count could wait forever)
        if (!awaitingAuth && !client.readingPaused) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** What Redis logs of the query buffer on a protocol error: up to 128 bytes, non-printables as dots. */
    private static String sample(ByteBuf buf) {
        if (buf == null) {
            return "";
        }
        int n = Math.min(128, buf.readableBytes());
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int c = buf.getByte(buf.readerIndex() + i) & 0xff;
            b.append(c >= 32 && c < 127 ? (char) c : '.');
        }
        return b.toString();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (admitted && ctx.channel().isWritable()) {
            gateway.writable(client);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        client.bufferedQueryBytes = 0;
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        if (admitted) {
            gateway.disconnected(client);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // connection reset and the like: Redis logs these at verbose level and frees the client
        ctx.close();
    }

    @Override
    public long maxBulkLength() {
        return gateway.maxBulkLength();
    }

    @Override
    public boolean authRequired() {
        return !client.authenticated && gateway.passwordRequired();
    }
}
