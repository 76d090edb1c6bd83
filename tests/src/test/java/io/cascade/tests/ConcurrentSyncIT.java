package io.cascade.tests;

import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.util.SafeEncoder;

import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

import static io.cascade.tests.support.Replication.await;
import static io.cascade.tests.support.Replication.awaitInSync;
import static io.cascade.tests.support.Replication.digest;
import static io.cascade.tests.support.Replication.field;
import static io.cascade.tests.support.Replication.writeLoad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Several snapshots at once, where Redis has one fork child: a BGSAVE accepted while a diskless transfer to a
 * replica runs, and a second replica whose transfer starts at once instead of waiting for the first one's end.
 * Every image must be the dataset at its own start. The transfers are slowed by rdb-key-save-delay so they
 * overlap. Test thread.
 */
@ExtendWith(Servers.class)
class ConcurrentSyncIT {
    private static final ProtocolCommand DEBUG = () -> SafeEncoder.encode("DEBUG");
    /** 20,000 keys at 100 us each: a transfer takes about two seconds. */
    private static final int KEYS = 20_000;

    private static ServerProcess slowMaster() throws Exception {
        ServerProcess master = ServerProcess.cascade("--enable-debug-command", "yes", "--repl-diskless-sync", "yes",
                "--repl-diskless-sync-delay", "0", "--rdb-key-save-delay", "100");
        try (Jedis m = master.jedis()) {
            Pipeline p = m.pipelined();
            for (int i = 0; i < KEYS; i++) {
                p.set("k:" + i, "value-" + i);
            }
            p.sync();
        }
        return master;
    }

    private static String replication(ServerProcess s) {
        try (Jedis j = s.jedis()) {
            return j.info("replication");
        }
    }

    private static boolean syncing(ServerProcess replica) {
        return field(replication(replica), "master_sync_in_progress").equals("1");
    }

    @Test
    void aBgsaveRunsBesideADisklessTransfer() throws Exception {
        try (ServerProcess master = slowMaster(); Jedis m = master.jedis()) {
            ServerProcess replica = MasterIT.redisReplicaOf(master);
            await(() -> syncing(replica), 20_000, "the replica's transfer runs");
            writeLoad(m, 1);
            // the digest and the BGSAVE in one pipeline: nothing runs between them
            Pipeline p = m.pipelined();
            Response<Object> atSave = p.sendCommand(DEBUG, "DIGEST");
            Response<Object> started = p.sendCommand(Protocol.Command.BGSAVE, new String[0]);
            p.sync();
            assertEquals("Background saving started", SafeEncoder.encode((byte[]) started.get()), "Redis would say a save is in progress");
            assertEquals("1", field(replication(replica), "master_sync_in_progress"),
                    "the transfer is still running: the two snapshots overlap");
            for (int i = 2; i < 30; i++) {
                writeLoad(m, i);
            }
            await(() -> field(m.info("persistence"), "rdb_bgsave_in_progress").equals("0"), 30_000,
                    "the BGSAVE and the transfer end");
            assertEquals("ok", field(m.info("persistence"), "rdb_last_bgsave_status"));
            awaitInSync(master, replica);
            try (ServerProcess check = ServerProcess.redis(); Jedis c = check.jedis()) {
                Files.copy(master.dir().resolve("dump.rdb"), check.dir().resolve("dump.rdb"),
                        StandardCopyOption.REPLACE_EXISTING);
                assertEquals("OK", SafeEncoder.encode((byte[]) c.sendCommand(DEBUG, "RELOAD", "NOSAVE")));
                String saved = digest(c);
                assertEquals(SafeEncoder.encode((byte[]) atSave.get()), saved,
                        "the file is the dataset when BGSAVE ran");
                assertNotEquals(digest(m), saved, "the writes after the BGSAVE are not in it");
            }
            replica.close();
        }
    }

    @Test
    void aSecondReplicaDoesNotWaitForTheFirstTransfer() throws Exception {
        try (ServerProcess master = slowMaster(); Jedis m = master.jedis()) {
            ServerProcess first = MasterIT.redisReplicaOf(master);
            await(() -> syncing(first), 20_000, "the first replica's transfer runs");
            for (int i = 0; i < 20; i++) {
                writeLoad(m, i);
            }
            ServerProcess second = MasterIT.redisReplicaOf(master);
            // with one snapshot at a time the second would get no byte before the first transfer ended
            await(() -> !field(replication(second), "master_sync_read_bytes").matches("0?"), 20_000,
                    "the second replica's payload is arriving");
            assertEquals("1", field(replication(first), "master_sync_in_progress"),
                    "the first transfer is still running");
            for (int i = 20; i < 60; i++) {
                writeLoad(m, i);
            }
            awaitInSync(master, first);
            awaitInSync(master, second);
            assertEquals("2", field(m.info("stats"), "sync_full"));
            first.close();
            second.close();
        }
    }
}
