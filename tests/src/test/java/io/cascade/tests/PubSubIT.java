package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Subscribers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static io.cascade.tests.support.Replication.await;
import static io.cascade.tests.support.Replication.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Pub/Sub on redis-server 7.0 and Cascade side by side: subscription confirmations and messages byte for byte
 * in RESP2 and RESP3, the RESP2 subscribed context, PUBSUB's subcommands, CLIENT LIST and INFO, RESET and
 * disconnection, the pubsub output buffer limit, and PUBLISH across replication in both directions.
 */
@ExtendWith(Servers.class)
class PubSubIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass().flushBeforeEach();

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void confirmationsAndMessages(int resp) throws IOException {
        try (Twin.Session control = twin.session(); Subscribers subs = Subscribers.open(twin, resp)) {
            subs.sameReplies(3, "SUBSCRIBE", "news", "sport", "news");
            subs.sameReplies(2, "PSUBSCRIBE", "w*ld", "h?llo");
            subs.sameReplies(1, "PSUBSCRIBE", "w*ld");
            subs.sameReplies(2, "SSUBSCRIBE", "shard1", "shard2");
            control.same("PUBLISH", "news", "hello");
            control.same("PUBLISH", "world", "pattern only");
            control.same("PUBLISH", "hallo", "");
            control.same("PUBLISH", "nobody", "x");
            control.same("PUBLISH", "shard1", "not a shard publish");
            control.same("SPUBLISH", "shard1", "sharded");
            control.same("SPUBLISH", "news", "no shard subscriber");
            control.same("PUBLISH", "w[", "bracket");
            control.same("PUBLISH", "wxyzld", "binary \u00e9\u0000 ok");
            subs.drain(control, "publishes");
            // a channel and a pattern matching it: the channel's subscribers first, then the pattern's
            subs.sameReplies(1, "SUBSCRIBE", "world");
            control.same("PUBLISH", "world", "both");
            subs.drain(control, "PUBLISH to a channel and a pattern");
            subs.sameReplies(2, "UNSUBSCRIBE", "news", "notsubscribed");
            subs.sameReplies(1, "PUNSUBSCRIBE", "h?llo");
            subs.sameReplies(1, "SUNSUBSCRIBE", "shard2");
            control.same("PUBLISH", "news", "gone");
            control.same("PUBLISH", "hello", "gone");
            subs.drain(control, "after unsubscribing");
            subs.sameReplies(1, "PUNSUBSCRIBE");
            subs.sameReplies(1, "PUNSUBSCRIBE");
            subs.sameReplies(1, "SUNSUBSCRIBE");
            subs.sameReplies(1, "SUNSUBSCRIBE");
            // still subscribed to the sync channel and these: one confirmation per channel, in any order
            subs.sameRepliesAnyOrder(3, "UNSUBSCRIBE");
            subs.sameReplies(1, "UNSUBSCRIBE");
            subs.same("PING");
            subs.same("PING", "after all");
        }
    }

    @Test
    void resp2SubscribedContextAllowsOnlySubscriptionCommands() throws IOException {
        try (Subscribers subs = Subscribers.open(twin, 2)) {
            for (String[] refused : List.of(c("GET", "k"), c("SET", "k", "v"), c("CLIENT", "INFO"),
                    c("PUBLISH", "a", "b"), c("PUBSUB", "NUMPAT"), c("CONFIG", "GET", "port"), c("MULTI"),
                    c("INFO"), c("NOSUCHCOMMAND"), c("GET"))) {
                subs.same(refused);
            }
            subs.same("PING");
            subs.same("PING", "message");
            subs.same("PING", "a", "b");
            subs.sameReplies(1, "PSUBSCRIBE", "p*");
            subs.sameReplies(1, "SSUBSCRIBE", "s");
            // RESET leaves the subscribed context: commands run again, and nothing is subscribed any more
            subs.same("RESET");
            subs.same("GET", "k");
            subs.same("PING");
            subs.same("PUBSUB", "NUMSUB", subs.channel());
            subs.same("PUBSUB", "NUMPAT");
            subs.same("PUBSUB", "SHARDNUMSUB", "s");
        }
    }

    @Test
    void resp3SubscribedClientsRunAnyCommand() throws IOException {
        try (Subscribers subs = Subscribers.open(twin, 3)) {
            subs.same("SET", "k", "v");
            subs.same("GET", "k");
            subs.same("PING");
            subs.same("PING", "m");
            subs.same("PUBLISH", subs.channel(), "to myself");
            assertEquals(subs.redis.readReply(), subs.cascade.readReply(), "the message a client published to itself");
            subs.same("PUBSUB", "NUMSUB", subs.channel(), "other");
            subs.same("MULTI");
            subs.same("SUBSCRIBE", "in-multi");
            subs.same("SSUBSCRIBE", "in-multi");
            subs.sameReplies(1, "EXEC");
        }
    }

    @Test
    void transactionsAllowSubscribeButNotSsubscribe() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("MULTI");
            s.same("SUBSCRIBE", "a");
            s.same("SSUBSCRIBE", "b");
            s.same("PSUBSCRIBE", "c*");
            s.same("EXEC");
            // RESP2 and subscribed now
            s.same("GET", "x");
            s.same("UNSUBSCRIBE", "a");
            s.same("PUNSUBSCRIBE");
            s.same("GET", "x");
        }
    }

    @Test
    void pubsubSubcommandsAndInfo() throws IOException, InterruptedException {
        try (Twin.Session control = twin.session(); Subscribers one = Subscribers.open(twin, 2);
             Subscribers two = Subscribers.open(twin, 3)) {
            one.sameReplies(2, "SUBSCRIBE", "alpha", "beta");
            two.sameReplies(1, "SUBSCRIBE", "alpha");
            one.sameReplies(2, "PSUBSCRIBE", "a*", "b*");
            two.sameReplies(2, "PSUBSCRIBE", "a*", "z*");
            one.sameReplies(2, "SSUBSCRIBE", "s1", "s2");
            two.sameReplies(1, "SSUBSCRIBE", "s1");
            control.same("PUBSUB", "NUMSUB");
            control.same("PUBSUB", "NUMSUB", "alpha", "beta", "gamma", one.channel());
            control.same("PUBSUB", "NUMPAT");
            control.same("PUBSUB", "SHARDNUMSUB", "s1", "s2", "s3", "alpha");
            control.same("PUBSUB", "SHARDNUMSUB");
            control.same("PUBSUB", "CHANNELS", "b*");
            control.same("PUBSUB", "CHANNELS", "nomatch*");
            control.same("PUBSUB", "SHARDCHANNELS", "s1");
            control.same("PUBSUB", "SHARDCHANNELS", "x*");
            sameUnordered(control, "PUBSUB", "CHANNELS");
            sameUnordered(control, "PUBSUB", "CHANNELS", "*a");
            sameUnordered(control, "PUBSUB", "SHARDCHANNELS");
            sameUnordered(control, "PUBSUB", "SHARDCHANNELS", "s[0-9]");
            control.same("PUBSUB", "HELP");
            control.same("PUBSUB", "help");
            control.same("PUBSUB", "CHANNELS", "a", "b");
            control.same("PUBSUB", "SHARDCHANNELS", "a", "b");
            control.same("PUBSUB", "NUMPAT", "x");
            control.same("PUBSUB", "HELP", "x");
            control.same("PUBSUB", "NOSUCH");
            control.same("PUBSUB");
            control.same("PUBLISH", "a");
            control.same("SUBSCRIBE");
            control.same("SPUBLISH", "s1", "m", "extra");
            control.same("PUBLISH", "alpha", "counted");
            control.same("SPUBLISH", "s1", "counted");
            one.drain(control, "PUBLISH alpha");
            two.drain(control, "PUBLISH alpha");
            assertEquals(pubsubStats(control.redis), pubsubStats(control.cascade), "INFO stats pubsub fields");
            // a client that goes away takes its subscriptions with it
            one.close();
            await(() -> numsub(control.redis).equals(numsub(control.cascade)), 10_000,
                    "the closed subscriber's channels gone on both");
            assertEquals(pubsubStats(control.redis), pubsubStats(control.cascade), "INFO after a subscriber left");
            control.same("PUBSUB", "NUMSUB", "alpha", "beta");
            control.same("PUBSUB", "NUMPAT");
            control.same("PUBSUB", "SHARDNUMSUB", "s1", "s2");
        }
    }

    private static void sameUnordered(Twin.Session s, String... command) throws IOException {
        assertEquals(sortedElements(s.redis.call(command)), sortedElements(s.cascade.call(command)),
                "reply to " + String.join(" ", command) + " in any order");
    }

    /** The header and the elements of a flat array reply, the elements sorted. */
    private static List<String> sortedElements(String reply) {
        List<String> parts = new ArrayList<>(List.of(reply.split("\r\n")));
        String header = parts.remove(0);
        List<String> elements = new ArrayList<>();
        for (int i = 0; i + 1 < parts.size(); i += 2) {
            elements.add(parts.get(i) + " " + parts.get(i + 1));
        }
        elements.sort(null);
        elements.add(0, header);
        return elements;
    }

    private static String numsub(RawConnection c) {
        try {
            return c.call("PUBSUB", "NUMSUB", "alpha", "beta") + c.call("PUBSUB", "NUMPAT")
                    + c.call("PUBSUB", "SHARDNUMSUB", "s1", "s2");
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static String pubsubStats(RawConnection c) throws IOException {
        String info = c.call("INFO", "stats");
        return "pubsub_channels:" + field(info, "pubsub_channels") + " pubsub_patterns:"
                + field(info, "pubsub_patterns") + " pubsubshard_channels:" + field(info, "pubsubshard_channels");
    }

    @Test
    void clientListShowsSubscriptions() throws IOException {
        try (Twin.Session control = twin.session(); Subscribers subs = Subscribers.open(twin, 3)) {
            subs.sameReplies(2, "SUBSCRIBE", "a", "b");
            subs.sameReplies(1, "PSUBSCRIBE", "p*");
            subs.sameReplies(3, "SSUBSCRIBE", "x", "y", "z");
            assertEquals(subscriptionFields(subs.redis.call("CLIENT", "INFO")),
                    subscriptionFields(subs.cascade.call("CLIENT", "INFO")), "CLIENT INFO of a subscriber");
            assertEquals(subscriptionFields(control.redis.call("CLIENT", "LIST", "TYPE", "pubsub")),
                    subscriptionFields(control.cascade.call("CLIENT", "LIST", "TYPE", "pubsub")),
                    "CLIENT LIST TYPE pubsub");
            assertEquals(subscriptionFields(control.redis.call("CLIENT", "INFO")),
                    subscriptionFields(control.cascade.call("CLIENT", "INFO")), "CLIENT INFO of a normal client");
            subs.sameRepliesAnyOrder(3, "UNSUBSCRIBE");
            subs.sameReplies(1, "PUNSUBSCRIBE");
            assertEquals(subscriptionFields(subs.redis.call("CLIENT", "INFO")),
                    subscriptionFields(subs.cascade.call("CLIENT", "INFO")), "CLIENT INFO with shard channels only");
            subs.sameRepliesAnyOrder(3, "SUNSUBSCRIBE");
            assertEquals(subscriptionFields(subs.redis.call("CLIENT", "INFO")),
                    subscriptionFields(subs.cascade.call("CLIENT", "INFO")), "CLIENT INFO after all went");
            control.same("CLIENT", "KILL", "TYPE", "pubsub");
        }
    }

    /** flags, sub, psub and ssub of each client line. */
    private static List<String> subscriptionFields(String reply) {
        List<String> out = new ArrayList<>();
        for (String line : reply.split("\n")) {
            StringBuilder b = new StringBuilder();
            for (String f : line.split(" ")) {
                if (f.startsWith("flags=") || f.startsWith("sub=") || f.startsWith("psub=") || f.startsWith("ssub=")) {
                    b.append(f).append(' ');
                }
            }
            if (b.length() > 0) {
                out.add(b.toString());
            }
        }
        return out;
    }

    @Test
    void subscriberPastThePubsubHardLimitIsDisconnected() throws IOException, InterruptedException {
        twin.same("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0");
        try (Twin.Session control = twin.session(); Subscribers subs = Subscribers.open(twin, 2)) {
            subs.sameReplies(1, "SUBSCRIBE", "flood");
            // the subscriber reads nothing from now on; messages pile up in its output buffer
            String message = "m".repeat(64 * 1024);
            for (int i = 0; i < 2000 && (subscribed(control.redis) || subscribed(control.cascade)); i++) {
                publishUntilGone(control.redis, message);
                publishUntilGone(control.cascade, message);
            }
            assertFalse(subscribed(control.redis), "redis-server dropped the subscriber");
            assertFalse(subscribed(control.cascade), "Cascade dropped the subscriber");
            assertFalse(subs.cascade.readUntilClosed().endsWith("(still open)"), "the connection was closed");
            // a subscriber that keeps up is never dropped
            try (Subscribers reader = Subscribers.open(twin, 2)) {
                for (int i = 0; i < 40; i++) {
                    control.same("PUBLISH", reader.channel(), message);
                    assertEquals(reader.redis.readReply(), reader.cascade.readReply());
                }
            }
        } finally {
            twin.same("CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60");
        }
    }

    private static void publishUntilGone(RawConnection c, String message) throws IOException {
        if (subscribed(c)) {
            c.call("PUBLISH", "flood", message);
        }
    }

    private static boolean subscribed(RawConnection c) {
        try {
            return !c.call("PUBSUB", "NUMSUB", "flood").endsWith(":0\r\n");
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void replicaSubscribersGetTheMastersPublishes() throws Exception {
        try (ServerProcess master = ServerProcess.redis(); Jedis m = master.jedis()) {
            ServerProcess redisReplica = ServerProcess.redis("--replicaof", "127.0.0.1 " + master.port());
            ServerProcess cascadeReplica = ServerProcess.cascade("--replicaof", "127.0.0.1 " + master.port(),
                    "--notify-keyspace-events", "KEA");
            redisReplica.cli("CONFIG", "SET", "notify-keyspace-events", "KEA");
            for (ServerProcess r : List.of(redisReplica, cascadeReplica)) {
                try (Jedis j = r.jedis()) {
                    await(() -> field(j.info("replication"), "master_link_status").equals("up"), 30_000,
                            r.kind() + " replica linked to its master");
                }
            }
            try (RawConnection onRedis = new RawConnection(redisReplica.port());
                 RawConnection onCascade = new RawConnection(cascadeReplica.port())) {
                for (RawConnection c : List.of(onRedis, onCascade)) {
                    c.call("SUBSCRIBE", "ch");
                    c.call("SSUBSCRIBE", "sch");
                    c.call("PSUBSCRIBE", "__keyspace@0__:*");
                }
                assertEquals(0L, m.publish("ch", "from the master"), "nobody subscribed on the master");
                m.sendCommand(redis.clients.jedis.Protocol.Command.SPUBLISH, "sch", "sharded");
                m.set("key", "value");
                m.publish("ch", "last");
                for (int i = 0; i < 4; i++) {
                    assertEquals(onRedis.readReply(), onCascade.readReply(), "message " + (i + 1) + " on the replicas");
                }
            }
        }
    }

    @Test
    void cascadeMasterPropagatesPublishToItsReplicas() throws Exception {
        try (ServerProcess master = ServerProcess.cascade(); Jedis m = master.jedis()) {
            ServerProcess replica = ServerProcess.redis("--replicaof", "127.0.0.1 " + master.port());
            try (Jedis r = replica.jedis()) {
                await(() -> field(r.info("replication"), "master_link_status").equals("up"), 30_000,
                        "redis-server replica linked to Cascade");
            }
            try (RawConnection sub = new RawConnection(replica.port())) {
                sub.call("SUBSCRIBE", "ch");
                sub.call("SSUBSCRIBE", "sch");
                assertEquals(0L, m.publish("ch", "no subscriber on the master"));
                m.sendCommand(redis.clients.jedis.Protocol.Command.SPUBLISH, "sch", "sharded");
                assertEquals("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$27\r\nno subscriber on the master\r\n",
                        sub.readReply());
                assertEquals("*3\r\n$8\r\nsmessage\r\n$3\r\nsch\r\n$7\r\nsharded\r\n", sub.readReply());
            }
        }
    }

    private static String[] c(String... words) {
        return words;
    }

    @Test
    void commandInfoAndDocsOfThePubsubFamily() throws IOException {
        for (String name : List.of("publish", "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "spublish",
                "ssubscribe", "sunsubscribe", "pubsub|channels", "pubsub|numsub", "pubsub|numpat",
                "pubsub|shardchannels", "pubsub|shardnumsub", "pubsub|help")) {
            twin.same("COMMAND", "INFO", name);
            twin.same("COMMAND", "DOCS", name);
        }
    }

    @Test
    void subscribedClientCountsStayConsistentAcrossManyClients() throws IOException {
        List<Subscribers> all = new ArrayList<>();
        try (Twin.Session control = twin.session()) {
            for (int i = 0; i < 20; i++) {
                Subscribers s = Subscribers.open(twin, i % 2 == 0 ? 2 : 3);
                all.add(s);
                s.sameReplies(1, "SUBSCRIBE", "common");
                s.sameReplies(1, "PSUBSCRIBE", "com*");
            }
            control.same("PUBLISH", "common", "to everyone");
            for (Subscribers s : all) {
                s.drain(control, "PUBLISH common");
            }
            control.same("PUBSUB", "NUMSUB", "common");
            control.same("PUBSUB", "NUMPAT");
            for (int i = 0; i < all.size(); i += 2) {
                all.get(i).same("RESET");
            }
            control.same("PUBLISH", "common", "to half");
            control.same("PUBSUB", "NUMSUB", "common");
            for (int i = 1; i < all.size(); i += 2) {
                all.get(i).drain(control, "PUBLISH after RESET of the others");
            }
        } finally {
            for (Subscribers s : all) {
                s.close();
            }
        }
    }
}
