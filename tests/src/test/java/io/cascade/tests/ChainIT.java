package io.cascade.tests;

import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

import static io.cascade.tests.support.Replication.await;
import static io.cascade.tests.support.Replication.awaitInSync;
import static io.cascade.tests.support.Replication.field;
import static io.cascade.tests.support.Replication.fill;
import static io.cascade.tests.support.Replication.writeLoad;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cascade in the middle of a chain: a real redis-server master at the top, real redis-server replicas or
 * other Cascades below. The whole chain shares one replid and one offset, a dropped upstream link costs the
 * sub-replicas nothing, and a promoted middle node lets them continue with +CONTINUE.
 */
@ExtendWith(Servers.class)
class ChainIT {
    private static ServerProcess cascadeReplicaOf(ServerProcess master) throws Exception {
        return ServerProcess.cascade("--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0",
                "--replicaof", "127.0.0.1 " + master.port());
    }

    private static long stat(ServerProcess p, String name) {
        try (Jedis j = p.jedis()) {
            return Long.parseLong(field(j.info("stats"), name));
        }
    }

    private static String replid(ServerProcess p) {
        try (Jedis j = p.jedis()) {
            return field(j.info("replication"), "master_replid");
        }
    }

    @Test
    void redisCascadeRedisShareOneHistory() throws Exception {
        try (ServerProcess top = ServerProcess.redis("--repl-diskless-sync-delay", "0"); Jedis m = top.jedis()) {
            fill(m);
            ServerProcess middle = cascadeReplicaOf(top);
            ServerProcess leaf = MasterIT.redisReplicaOf(middle);
            for (int i = 0; i < 40; i++) {
                writeLoad(m, i);
            }
            awaitInSync(top, middle);
            awaitInSync(middle, leaf);
            awaitInSync(top, leaf);
            assertEquals(replid(top), replid(middle));
            assertEquals(replid(top), replid(leaf));

            // the top drops the middle's link: the middle continues, the leaf is not even disconnected
            long leafSyncs = stat(middle, "sync_full") + stat(middle, "sync_partial_ok");
            long partial = stat(top, "sync_partial_ok");
            m.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "replica");
            for (int i = 40; i < 60; i++) {
                writeLoad(m, i);
            }
            await(() -> stat(top, "sync_partial_ok") > partial, 20_000, "the middle continued");
            awaitInSync(top, leaf);
            assertEquals(leafSyncs, stat(middle, "sync_full") + stat(middle, "sync_partial_ok"),
                    "the leaf kept its link through the middle's reconnection");

            // the middle is promoted: the leaf continues with the new history through replid2
            try (Jedis mid = middle.jedis()) {
                mid.replicaofNoOne();
                await(() -> stat(middle, "sync_partial_ok") == 1, 20_000, "the leaf continued after the promotion");
                assertEquals(1, stat(middle, "sync_full"));
                for (int i = 60; i < 80; i++) {
                    writeLoad(mid, i);
                }
            }
            awaitInSync(middle, leaf);
            assertEquals(replid(middle), replid(leaf));
        }
    }

    @Test
    void threeHopsRedisCascadeCascadeRedis() throws Exception {
        try (ServerProcess top = ServerProcess.redis("--repl-diskless-sync-delay", "0"); Jedis m = top.jedis()) {
            fill(m);
            ServerProcess first = cascadeReplicaOf(top);
            ServerProcess second = cascadeReplicaOf(first);
            ServerProcess leaf = MasterIT.redisReplicaOf(second);
            for (int i = 0; i < 40; i++) {
                writeLoad(m, i);
            }
            awaitInSync(top, first);
            awaitInSync(first, second);
            awaitInSync(second, leaf);
            awaitInSync(top, leaf);
            assertEquals(replid(top), replid(leaf), "one history along the whole chain");
        }
    }

    @Test
    void failoverToTheMiddleNode() throws Exception {
        try (ServerProcess top = ServerProcess.redis("--repl-diskless-sync-delay", "0"); Jedis m = top.jedis()) {
            fill(m);
            ServerProcess a = cascadeReplicaOf(top);
            ServerProcess b = MasterIT.redisReplicaOf(a);
            for (int i = 0; i < 30; i++) {
                writeLoad(m, i);
            }
            awaitInSync(top, a);
            awaitInSync(a, b);
            // the top stops taking writes; A is promoted, B continues through A's replid2
            try (Jedis ja = a.jedis()) {
                ja.replicaofNoOne();
                await(() -> stat(a, "sync_partial_ok") == 1, 20_000, "B continued after A's promotion");
                // the old master joins A as a replica of its own former history: a partial resync too
                m.replicaof("127.0.0.1", a.port());
                await(() -> stat(a, "sync_partial_ok") == 2, 20_000, "the old master continued from A");
                assertEquals(1, stat(a, "sync_full"), "only B's first sync was a full one");
                for (int i = 30; i < 60; i++) {
                    writeLoad(ja, i);
                }
            }
            awaitInSync(a, b);
            awaitInSync(a, top);
        }
    }
}
