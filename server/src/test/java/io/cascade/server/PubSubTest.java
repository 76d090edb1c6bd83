package io.cascade.server;

import io.cascade.conf.Config;
import io.cascade.server.net.Client;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Pub/Sub registry and keyspace events without sockets: counts, routing, encodings, cleanup. */
class PubSubTest {
    private final Clients clients = new Clients(new Stats());
    private final Config config = Config.defaults();
    private final PubSub pubsub = new PubSub(clients, new OutputLimits(config, clients));
    private final Client a = client(1, 2);
    private final Client b = client(2, 3);

    private static Client client(long id, int resp) {
        Client c = new Client(id, new EmbeddedChannel());
        c.resp = resp;
        return c;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What was queued for the client since the last call. */
    private static String taken(Client c) {
        if (c.out == null) {
            return "";
        }
        String s = c.out.toString(StandardCharsets.UTF_8);
        c.out.clear();
        return s;
    }

    @AfterEach
    void release() {
        for (Client c : List.of(a, b)) {
            if (c.out != null) {
                c.out.release();
            }
        }
    }

    @Test
    void confirmationsCountChannelsAndPatternsTogetherAndShardChannelsApart() {
        pubsub.subscribe(a, b("ch"), PubSub.Kind.GLOBAL);
        pubsub.subscribe(a, b("ch"), PubSub.Kind.GLOBAL);
        pubsub.psubscribe(a, b("c*"));
        pubsub.subscribe(a, b("s"), PubSub.Kind.SHARD);
        assertEquals("*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"
                + "*3\r\n$10\r\npsubscribe\r\n$2\r\nc*\r\n:2\r\n*3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n", taken(a));
        assertTrue(a.pubsub);
        pubsub.unsubscribeAll(a, PubSub.Kind.GLOBAL, true);
        pubsub.punsubscribeAll(a, true);
        pubsub.punsubscribeAll(a, true);
        assertEquals("*3\r\n$11\r\nunsubscribe\r\n$2\r\nch\r\n:1\r\n*3\r\n$12\r\npunsubscribe\r\n$2\r\nc*\r\n:0\r\n"
                + "*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n", taken(a));
        pubsub.updateMode(a);
        assertTrue(a.pubsub, "still subscribed to a shard channel");
        pubsub.unsubscribe(a, b("s"), PubSub.Kind.SHARD, true);
        pubsub.updateMode(a);
        assertFalse(a.pubsub);
    }

    @Test
    void publishReachesChannelSubscribersThenPatternsInTheirProtocol() {
        pubsub.subscribe(a, b("news"), PubSub.Kind.GLOBAL);
        pubsub.psubscribe(b, b("n?ws"));
        pubsub.subscribe(b, b("news"), PubSub.Kind.SHARD);
        taken(a);
        taken(b);
        assertEquals(2, pubsub.publish(b("news"), b("hi"), PubSub.Kind.GLOBAL));
        assertEquals("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n", taken(a));
        assertEquals(">4\r\n$8\r\npmessage\r\n$4\r\nn?ws\r\n$4\r\nnews\r\n$2\r\nhi\r\n", taken(b));
        assertEquals(1, pubsub.publish(b("news"), b("sharded"), PubSub.Kind.SHARD));
        assertEquals(">3\r\n$8\r\nsmessage\r\n$4\r\nnews\r\n$7\r\nsharded\r\n", taken(b));
        assertEquals(0, pubsub.publish(b("nobody"), b("x"), PubSub.Kind.GLOBAL));
    }

    @Test
    void introspectionAndCleanupWhenAClientGoes() {
        pubsub.subscribe(a, b("x"), PubSub.Kind.GLOBAL);
        pubsub.subscribe(b, b("x"), PubSub.Kind.GLOBAL);
        pubsub.subscribe(b, b("y"), PubSub.Kind.GLOBAL);
        pubsub.psubscribe(a, b("*"));
        pubsub.psubscribe(b, b("*"));
        assertEquals(2, pubsub.numsub(b("x"), PubSub.Kind.GLOBAL));
        assertEquals(0, pubsub.numsub(b("x"), PubSub.Kind.SHARD));
        assertEquals(1, pubsub.numpat());
        assertEquals(List.of("y"), pubsub.channels(b("y*"), PubSub.Kind.GLOBAL).stream().map(String::new).toList());
        taken(b);
        pubsub.clientGone(b);
        taken(a);
        assertEquals(1, pubsub.numsub(b("x"), PubSub.Kind.GLOBAL));
        assertEquals(1, pubsub.channelCount(PubSub.Kind.GLOBAL), "an unused channel is forgotten");
        assertEquals(1, pubsub.numpat());
        assertFalse(b.pubsub);
        assertEquals("", taken(b), "nothing is sent for the subscriptions a client loses");
    }

    @Test
    void keyspaceEventsGoToBothChannelKindsOnlyForEnabledClasses() {
        Notifications n = new Notifications(pubsub, Notifications.KEYSPACE | Notifications.KEYEVENT
                | Notifications.STRING);
        pubsub.psubscribe(a, b("__key*"));
        taken(a);
        n.notify(Notifications.LIST, "lpush", b("l"), 0);
        assertEquals("", taken(a));
        n.notify(Notifications.STRING, "set", b("k"), 5);
        assertEquals("*4\r\n$8\r\npmessage\r\n$6\r\n__key*\r\n$16\r\n__keyspace@5__:k\r\n$3\r\nset\r\n"
                + "*4\r\n$8\r\npmessage\r\n$6\r\n__key*\r\n$18\r\n__keyevent@5__:set\r\n$1\r\nk\r\n", taken(a));
    }
}
