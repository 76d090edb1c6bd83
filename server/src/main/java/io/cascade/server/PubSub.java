package io.cascade.server;

import io.cascade.conf.Glob;
import io.cascade.server.net.Client;
import io.cascade.storage.types.Bytes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server's Pub/Sub registry, as Redis 7.0's pubsub.c: channel to subscribers, pattern to subscribers and
 * shard channel to subscribers, plus each client's own subscriptions (kept on Client). Messages are encoded
 * here and appended to the subscribers' output buffers as raw RESP (the shared reply writer stays aimed at
 * the calling client). Command thread only.
 *
 * <p>Subscribers of one channel are kept in subscription order, as Redis's list; channels and patterns in
 * insertion order (Redis's dict order depends on a random hash seed, so any order is as faithful).
 */
public final class PubSub {
    /** The two kinds of channels: SUBSCRIBE/PUBLISH and the sharded SSUBSCRIBE/SPUBLISH (pubsubtype). */
    public enum Kind {
        GLOBAL("subscribe", "unsubscribe", "message"),
        SHARD("ssubscribe", "sunsubscribe", "smessage");

        final byte[] subscribeBulk;
        final byte[] unsubscribeBulk;
        final byte[] messageBulk;

        Kind(String sub, String unsub, String message) {
            this.subscribeBulk = bulk(sub.getBytes(StandardCharsets.US_ASCII));
            this.unsubscribeBulk = bulk(unsub.getBytes(StandardCharsets.US_ASCII));
            this.messageBulk = bulk(message.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static final byte[] PSUBSCRIBE = bulk("psubscribe".getBytes(StandardCharsets.US_ASCII));
    private static final byte[] PUNSUBSCRIBE = bulk("punsubscribe".getBytes(StandardCharsets.US_ASCII));
    private static final byte[] PMESSAGE = bulk("pmessage".getBytes(StandardCharsets.US_ASCII));

    private final Map<Bytes, Set<Client>> channels = new LinkedHashMap<>();
    private final Map<Bytes, Set<Client>> shardChannels = new LinkedHashMap<>();
    private final Map<Bytes, Set<Client>> patterns = new LinkedHashMap<>();
    private final Clients clients;
    private final OutputLimits limits;

    PubSub(Clients clients, OutputLimits limits) {
        this.clients = clients;
        this.limits = limits;
    }

    private Map<Bytes, Set<Client>> registry(Kind kind) {
        return kind == Kind.GLOBAL ? channels : shardChannels;
    }

    private static Set<Bytes> own(Client c, Kind kind) {
        return kind == Kind.GLOBAL ? c.pubsubChannels : c.pubsubShardChannels;
    }

    /** Redis's clientSubscriptionsCount (channels and patterns) or clientShardSubscriptionsCount. */
    private static int count(Client c, Kind kind) {
        return kind == Kind.GLOBAL ? c.pubsubChannels.size() + c.pubsubPatterns.size() : c.pubsubShardChannels.size();
    }

    // ---- subscribing ----

    public void subscribe(Client c, byte[] channel, Kind kind) {
        Bytes ch = new Bytes(channel);
        if (own(c, kind).add(ch)) {
            registry(kind).computeIfAbsent(ch, k -> new LinkedHashSet<>()).add(c);
        }
        c.pubsub = true;
        reply(c, kind.subscribeBulk, channel, count(c, kind));
    }

    public void unsubscribe(Client c, byte[] channel, Kind kind, boolean notify) {
        Bytes ch = new Bytes(channel);
        if (own(c, kind).remove(ch)) {
            drop(registry(kind), ch, c);
        }
        if (notify) {
            reply(c, kind.unsubscribeBulk, channel, count(c, kind));
        }
    }

    /** UNSUBSCRIBE / SUNSUBSCRIBE without arguments: every channel, or one reply with a null channel. */
    public void unsubscribeAll(Client c, Kind kind, boolean notify) {
        List<Bytes> all = new ArrayList<>(own(c, kind));
        for (Bytes ch : all) {
            unsubscribe(c, ch.b, kind, notify);
        }
        if (notify && all.isEmpty()) {
            reply(c, kind.unsubscribeBulk, null, count(c, kind));
        }
    }

    public void psubscribe(Client c, byte[] pattern) {
        Bytes p = new Bytes(pattern);
        if (c.pubsubPatterns.add(p)) {
            patterns.computeIfAbsent(p, k -> new LinkedHashSet<>()).add(c);
        }
        c.pubsub = true;
        reply(c, PSUBSCRIBE, pattern, count(c, Kind.GLOBAL));
    }

    public void punsubscribe(Client c, byte[] pattern, boolean notify) {
        Bytes p = new Bytes(pattern);
        if (c.pubsubPatterns.remove(p)) {
            drop(patterns, p, c);
        }
        if (notify) {
            reply(c, PUNSUBSCRIBE, pattern, count(c, Kind.GLOBAL));
        }
    }

    public void punsubscribeAll(Client c, boolean notify) {
        List<Bytes> all = new ArrayList<>(c.pubsubPatterns);
        for (Bytes p : all) {
            punsubscribe(c, p.b, notify);
        }
        if (notify && all.isEmpty()) {
            reply(c, PUNSUBSCRIBE, null, count(c, Kind.GLOBAL));
        }
    }

    /** After an unsubscribe: the client leaves Pub/Sub mode when nothing is left (CLIENT_PUBSUB cleared). */
    public void updateMode(Client c) {
        if (c.pubsubChannels.isEmpty() && c.pubsubPatterns.isEmpty() && c.pubsubShardChannels.isEmpty()) {
            c.pubsub = false;
        }
    }

    /** RESET and disconnection: every subscription goes, nothing is sent (clearClientConnectionState). */
    public void clientGone(Client c) {
        if (!c.pubsub && c.pubsubChannels.isEmpty() && c.pubsubPatterns.isEmpty() && c.pubsubShardChannels.isEmpty()) {
            return;
        }
        unsubscribeAll(c, Kind.GLOBAL, false);
        unsubscribeAll(c, Kind.SHARD, false);
        punsubscribeAll(c, false);
        c.pubsub = false;
    }

    private static void drop(Map<Bytes, Set<Client>> registry, Bytes key, Client c) {
        Set<Client> subs = registry.get(key);
        if (subs != null) {
            subs.remove(c);
            if (subs.isEmpty()) {
                registry.remove(key); // an unused channel must not stay (millions of them could pile up)
            }
        }
    }

    // ---- publishing ----

    /** PUBLISH / SPUBLISH and keyspace events: returns the number of receivers (pubsubPublishMessage). */
    public int publish(byte[] channel, byte[] message, Kind kind) {
        int receivers = 0;
        Set<Client> subs = registry(kind).get(new Bytes(channel));
        if (subs != null) {
            byte[] body = concat(kind.messageBulk, bulk(channel), bulk(message));
            for (Client c : new ArrayList<>(subs)) {
                deliver(c, 3, body);
                receivers++;
            }
        }
        if (kind == Kind.SHARD || patterns.isEmpty()) {
            return receivers; // shard channels ignore patterns
        }
        byte[] tail = null;
        for (Map.Entry<Bytes, Set<Client>> e : new ArrayList<>(patterns.entrySet())) {
            byte[] pattern = e.getKey().b;
            if (!Glob.match(pattern, channel, false)) {
                continue;
            }
            if (tail == null) {
                tail = concat(bulk(channel), bulk(message));
            }
            byte[] body = concat(PMESSAGE, bulk(pattern), tail);
            for (Client c : new ArrayList<>(e.getValue())) {
                deliver(c, 4, body);
                receivers++;
            }
        }
        return receivers;
    }

    private void deliver(Client c, int elements, byte[] body) {
        if (c.closed) {
            return;
        }
        clients.rawTo(c, header(c.resp, elements));
        clients.rawTo(c, body);
        limits.check(c);
    }

    // ---- PUBSUB and INFO ----

    /** PUBSUB CHANNELS / SHARDCHANNELS: active channels matching the pattern (all when null). */
    public List<byte[]> channels(byte[] pattern, Kind kind) {
        List<byte[]> out = new ArrayList<>();
        for (Bytes ch : registry(kind).keySet()) {
            if (pattern == null || Glob.match(pattern, ch.b, false)) {
                out.add(ch.b);
            }
        }
        return out;
    }

    /** PUBSUB NUMSUB / SHARDNUMSUB: the subscribers of one channel, patterns not counted. */
    public int numsub(byte[] channel, Kind kind) {
        Set<Client> subs = registry(kind).get(new Bytes(channel));
        return subs == null ? 0 : subs.size();
    }

    /** PUBSUB NUMPAT and INFO's pubsub_patterns: distinct patterns subscribed to. */
    public int numpat() {
        return patterns.size();
    }

    /** INFO's pubsub_channels and pubsubshard_channels. */
    public int channelCount(Kind kind) {
        return registry(kind).size();
    }

    // ---- encoding ----

    /** A subscribe/unsubscribe confirmation: [kind, channel or null, count], a push in RESP3. */
    private void reply(Client c, byte[] kindBulk, byte[] channel, int count) {
        byte[] name = channel != null ? bulk(channel)
                : (c.resp >= 3 ? "_\r\n" : "$-1\r\n").getBytes(StandardCharsets.US_ASCII);
        // pushed even under CLIENT REPLY OFF, as Redis's CLIENT_PUSHING replies
        clients.rawTo(c, concat(header(c.resp, 3), kindBulk, name,
                (":" + count + "\r\n").getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] header(int resp, int n) {
        return ((resp >= 3 ? ">" : "*") + n + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] bulk(byte[] b) {
        byte[] len = ("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[len.length + b.length + 2];
        System.arraycopy(len, 0, out, 0, len.length);
        System.arraycopy(b, 0, out, len.length, b.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
