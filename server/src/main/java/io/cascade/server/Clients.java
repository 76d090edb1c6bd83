package io.cascade.server;

import io.cascade.replication.resp.RespWriter;
import io.cascade.server.net.Client;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The connected clients and their pending replies. Owned by the command thread: replies are written into a
 * per-client buffer and flushed to the socket once per batch of commands.
 */
public final class Clients {
    private final Map<Long, Client> byId = new LinkedHashMap<>();
    private final List<Client> dirty = new ArrayList<>();
    private final RespWriter writer = new RespWriter();
    /** Where replies go that CLIENT REPLY OFF/SKIP drops; cleared before each use. */
    private final ByteBuf silenced = Unpooled.buffer(256);
    private final Stats stats;
    /** Told at once when a replica's client is killed (its session must stop holding the backlog back). */
    private Consumer<Client> replicaKilled = c -> { };

    Clients(Stats stats) {
        this.stats = stats;
    }

    void add(Client c) {
        byId.put(c.id, c);
    }

    void remove(Client c) {
        c.closed = true;
        byId.remove(c.id);
    }

    void onReplicaKilled(Consumer<Client> action) {
        this.replicaKilled = action;
    }

    /**
     * Drops a client at once (CLIENT KILL): it runs nothing more, and its socket is closed. A replica's session
     * goes now too, as Redis frees the client: the backlog bytes only it still needed may be trimmed by the next
     * write, before the socket's close is noticed (a killed replica that reconnects at once finds them gone).
     */
    public void kill(Client c) {
        remove(c);
        if (c.replicaSession != null) {
            replicaKilled.accept(c);
        }
        c.channel.close();
    }

    public Client get(long id) {
        return byId.get(id);
    }

    public Collection<Client> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    public int count() {
        return byId.size();
    }

    /** The writer aimed at this client's output buffer, in its protocol version (a sink under CLIENT REPLY OFF). */
    public RespWriter replyTo(Client c) {
        if (c.replySilent) {
            silenced.clear();
            return writer.target(silenced, c.resp);
        }
        if (c.out == null) {
            c.out = c.channel.alloc().buffer(256);
            dirty.add(c);
        }
        return writer.target(c.out, c.resp);
    }

    /** Appends bytes already in RESP form to a client's output, leaving the shared reply writer alone. */
    public void rawTo(Client c, byte[] bytes) {
        if (c.out == null) {
            c.out = c.channel.alloc().buffer(Math.max(256, bytes.length));
            dirty.add(c);
        }
        c.out.writeBytes(bytes);
    }

    /** Hands the client's pending replies to its socket now, before bytes written straight to it follow. */
    public void writePendingNow(Client c) {
        ByteBuf out = c.out;
        if (out == null) {
            return;
        }
        c.out = null;
        stats.netOutputBytes.addAndGet(out.readableBytes());
        c.netOutputBytes += out.readableBytes();
        c.channel.writeAndFlush(out, c.channel.voidPromise());
    }

    /** Closes the client once what it has been sent so far is flushed. */
    public void closeAfterReply(Client c) {
        c.closeAfterReply = true;
        if (c.out == null) {
            c.out = c.channel.alloc().buffer(0);
            dirty.add(c);
        }
    }

    /**
     * Sends every reply built since the last flush. The writes are handed to each client's I/O thread as one
     * task per thread (not one per client): from outside the event loop every Netty write is a task and a
     * wake-up, which is what an unpipelined request/reply costs most.
     */
    void flush() {
        if (dirty.isEmpty()) {
            return;
        }
        Map<EventLoop, List<Object[]>> byLoop = new IdentityHashMap<>();
        for (Client c : dirty) {
            ByteBuf out = c.out;
            c.out = null;
            if (out == null) {
                continue; // written already (writePendingNow)
            }
            if (c.closed && !c.closeAfterReply) {
                out.release();
                continue;
            }
            int n = out.readableBytes();
            stats.netOutputBytes.addAndGet(n);
            stats.writesProcessed++;
            c.netOutputBytes += n;
            byLoop.computeIfAbsent(c.channel.eventLoop(), l -> new ArrayList<>())
                    .add(new Object[] {c.channel, out, c.closeAfterReply});
        }
        dirty.clear();
        for (Map.Entry<EventLoop, List<Object[]>> e : byLoop.entrySet()) {
            List<Object[]> writes = e.getValue();
            e.getKey().execute(() -> {
                for (Object[] w : writes) {
                    Channel ch = (Channel) w[0];
                    if ((Boolean) w[2]) {
                        ch.writeAndFlush(w[1]).addListener(ChannelFutureListener.CLOSE);
                    } else {
                        ch.writeAndFlush(w[1], ch.voidPromise());
                    }
                }
            });
        }
    }
}
