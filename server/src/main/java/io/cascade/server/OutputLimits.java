package io.cascade.server;

import io.cascade.conf.ClientOutputBufferLimit;
import io.cascade.conf.Config;
import io.cascade.conf.Log;
import io.cascade.server.net.Client;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * client-output-buffer-limit for normal and pubsub clients (Redis's checkClientOutputBufferLimits): what a
 * client has not taken yet is its pending reply buffer plus what Netty still holds for its socket. Past the hard
 * limit, or past the soft limit for longer than its seconds, the client is closed. Replicas have their own check
 * (Downstream). Checked when Pub/Sub messages are queued, which is what grows without the client asking.
 * Command thread only.
 */
final class OutputLimits {
    private final Config config;
    private final Clients clients;

    OutputLimits(Config config, Clients clients) {
        this.config = config;
        this.clients = clients;
    }

    void check(Client c) {
        if (c.closed || c.master || c.replicaSession != null) {
            return;
        }
        // getClientType: a subscribed client is of class pubsub, any other of class normal
        ClientOutputBufferLimit limit = config.outputBufferLimit(c.pubsub ? "pubsub" : "normal");
        if (limit.hardLimitBytes() == 0 && limit.softLimitBytes() == 0) {
            return;
        }
        long used = outputBytes(c);
        if (limit.exceeded(used, limit.hardLimitBytes(), c.obufSoftLimit, System.currentTimeMillis())) {
            Log.warning("Client id=%d addr=%s%s scheduled to be closed ASAP for overcoming of output buffer limits.",
                    c.id, c.addr, c.pubsub ? " flags=P" : "");
            if (c.out != null) {
                c.out.clear(); // what it could not take is dropped, as Redis frees the client's buffers
            }
            clients.kill(c);
        }
    }

    /** A client's output buffer: what its writer holds and what Netty still holds for the socket. */
    static long outputBytes(Client c) {
        return (c.out == null ? 0 : c.out.readableBytes()) + pendingInNetty(c);
    }

    private static long pendingInNetty(Client c) {
        ChannelOutboundBuffer ob = c.channel.unsafe().outboundBuffer();
        return ob == null ? 0 : ob.totalPendingWriteBytes();
    }
}
