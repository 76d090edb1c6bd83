package io.cascade.server.commands;

import io.cascade.replication.resp.RespEncoding;
import io.cascade.replication.resp.RespWriter;
import io.cascade.server.Blocking;
import io.cascade.server.Notifications;
import io.cascade.server.Pause;
import io.cascade.server.Server;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.server.migrate.MigrateSockets;
import io.cascade.server.net.Client;
import io.cascade.storage.Keyspace;
import io.cascade.storage.rdb.RdbValueWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password] [AUTH2 username password]
 * [KEYS key ...], as Redis 7.0's migrateCommand (cluster.c): arguments checked in its order and words, the
 * keys serialized as DUMP payloads and sent as RESTOREs (plain RESTORE: RESTORE-ASKING is for cluster mode),
 * the keys the target acknowledged deleted unless COPY, that deletion propagated as one DEL of those keys.
 * <p>
 * Redis does the exchange on its main thread, which waits up to the timeout for each step. Here the command
 * thread only does the parts that touch the dataset (lookups and serialization now, deletions at the end);
 * the network exchange runs on MigrateSockets' thread meanwhile, the client blocked without a reply. So that
 * the keys cannot change between being serialized and being deleted (Redis's MIGRATE is atomic), writes are
 * paused while a migration is in flight, as CLIENT PAUSE WRITE pauses them (Pause.Purpose.MIGRATE): reads
 * and everything else go on, writes wait (never longer than the target's timeouts, which is what Redis makes
 * everything wait), and expired keys are kept. Two MIGRATEs therefore never overlap, as in Redis. Inside
 * MULTI/EXEC or a script the command thread cannot leave the command half done: there it waits for the
 * exchange, as Redis's main thread does. Command thread.
 */
public final class MigrateCommand {
    private static final byte[] RESTORE = "RESTORE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLACE = "REPLACE".getBytes(StandardCharsets.US_ASCII);

    /** A client whose MIGRATE is in flight: it waits on no key and is released by the exchange's end only. */
    private static final Blocking.Handler IN_FLIGHT = new Blocking.NoKeys() {
        @Override
        public boolean unblockable() {
            return false;
        }
    };

    private MigrateCommand() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("migrate", -6, "write", MigrateCommand::migrate)
                .keys(3, 3, 1, "RW access delete")
                .keywordKeys("KEYS", -2, -1, 1, 0, "RW access delete incomplete")
                .acl("keyspace dangerous").tips("nondeterministic_output")
                .doc("Atomically transfer a key from a Redis instance to another one.", "2.6.0", "generic",
                        "This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the "
                                + "target instance. See the pages of these commands for time complexity. Also an "
                                + "O(N) data transfer between the two instances is performed.",
                        "host:string port:integer key_or_empty_string:oneof(key:key|empty_string=) "
                                + "destination-db:integer timeout:integer [COPY] [REPLACE] "
                                + "[authentication:oneof([AUTH password:string]|[AUTH2 username_password:block("
                                + "username:string password:string)])] [KEYS key:key...]"));
    }

    static void migrate(CommandContext c) {
        boolean copy = false;
        boolean replace = false;
        byte[] username = null;
        byte[] password = null;
        int firstKey = 3;
        int numKeys = 1;
        for (int j = 6; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            if (c.argIs(j, "copy")) {
                copy = true;
            } else if (c.argIs(j, "replace")) {
                replace = true;
            } else if (c.argIs(j, "auth")) {
                if (more < 1) {
                    throw new CommandException(Errors.SYNTAX);
                }
                password = c.argv[++j];
                c.redact(j);
            } else if (c.argIs(j, "auth2")) {
                if (more < 2) {
                    throw new CommandException(Errors.SYNTAX);
                }
                username = c.argv[++j];
                c.redact(j);
                password = c.argv[++j];
                c.redact(j);
            } else if (c.argIs(j, "keys")) {
                if (c.argv[3].length != 0) {
                    throw new CommandException("ERR When using MIGRATE KEYS option, the key argument must be set "
                            + "to the empty string");
                }
                firstKey = j + 1;
                numKeys = c.argc() - j - 1;
                break; // all the remaining arguments are keys
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        // the timeout is checked before the db, as Redis does
        long timeout = c.longArg(5);
        long dbid = c.longArg(4);
        if (timeout <= 0) {
            timeout = 1000;
        }
        List<byte[]> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (int j = 0; j < numKeys; j++) {
            Object v = c.lookup(c.argv[firstKey + j], Object.class);
            if (v != null) {
                keys.add(c.argv[firstKey + j]);
                values.add(v);
            }
        }
        if (keys.isEmpty()) {
            // not an error: often a key expired meanwhile, and the caller just moves on
            c.reply.simple("NOKEY");
            return;
        }
        List<byte[]> restores = restores(c, keys, values, replace);
        byte[] auth = password == null ? null : username == null ? RespEncoding.command("AUTH".getBytes(), password)
                : RespEncoding.command("AUTH".getBytes(), username, password);
        MigrateSockets.Request request = new MigrateSockets.Request(latin1(c.argv[1]), latin1(c.argv[2]), timeout,
                dbid, auth, restores);
        Server server = c.server;
        int db = c.client.db;
        boolean deleteMoved = !copy;
        if (c.denyBlocking) {
            MigrateSockets.Result result = server.migrateSockets.exchangeNow(request);
            List<byte[]> deleted = deleteMoved ? delete(server, db, keys, result) : List.of();
            if (deleted.isEmpty()) {
                server.propagation.prevent();
            } else {
                server.propagation.rewrite(delCommand(deleted));
            }
            reply(c.reply, result);
            return;
        }
        // what the replicas get is the DEL of the moved keys, when the exchange is over; never MIGRATE itself
        server.propagation.prevent();
        Client client = c.client;
        server.blocking.block(c, List.of(), 0, IN_FLIGHT);
        server.pause.pause(Pause.Purpose.MIGRATE, Long.MAX_VALUE, Pause.Type.WRITE);
        server.migrateSockets.submit(request, result -> server.main.submit(() -> {
            List<byte[]> deleted = deleteMoved ? delete(server, db, keys, result) : List.of();
            if (!deleted.isEmpty()) {
                server.propagation.also(db, delCommand(deleted));
                client.woff = server.replica.repl.masterReplOffset;
            }
            server.blocking.finish(client, w -> reply(w, result));
            server.pause.unpause(Pause.Purpose.MIGRATE);
        }));
    }

    /**
     * One RESTORE key ttl payload [REPLACE] per key, the ttl what is left of its expire (at least 1 ms); a key
     * whose expire has passed is left out, as Redis leaves out one that expired while the others were
     * serialized. The keys list keeps only the keys sent.
     */
    private static List<byte[]> restores(CommandContext c, List<byte[]> keys, List<Object> values, boolean replace) {
        Keyspace db = c.db();
        boolean compress = c.server.config.getBool("rdbcompression");
        List<byte[]> out = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        for (int j = 0; j < keys.size(); j++) {
            byte[] key = keys.get(j);
            long ttl = 0;
            long expireAt = db.getExpire(key);
            if (expireAt != -1) {
                ttl = expireAt - Keyspace.now();
                if (ttl < 0) {
                    continue;
                }
                ttl = Math.max(ttl, 1);
            }
            byte[] payload = RdbValueWriter.dump(values.get(j), compress);
            byte[] ttlArg = Long.toString(ttl).getBytes(StandardCharsets.US_ASCII);
            out.add(replace ? RespEncoding.command(RESTORE, key, ttlArg, payload, REPLACE)
                    : RespEncoding.command(RESTORE, key, ttlArg, payload));
            sent.add(key);
        }
        keys.clear();
        keys.addAll(sent);
        return out;
    }

    /** The keys the target acknowledged leave this server, each signalled and notified as a DEL. */
    private static List<byte[]> delete(Server server, int dbIndex, List<byte[]> keys, MigrateSockets.Result result) {
        Keyspace db = server.databases.db(dbIndex);
        List<byte[]> deleted = new ArrayList<>();
        for (int j = 0; j < keys.size(); j++) {
            if (result.acked()[j]) {
                byte[] key = keys.get(j);
                db.delete(key);
                server.notifications.notify(Notifications.GENERIC, "del", key, dbIndex);
                deleted.add(key);
            }
        }
        return deleted;
    }

    /** How Redis rewrites a MIGRATE for the replicas and the AOF: DEL of the keys actually moved. */
    private static byte[][] delCommand(List<byte[]> keys) {
        byte[][] argv = new byte[keys.size() + 1][];
        argv[0] = Rewrites.DEL;
        for (int i = 0; i < keys.size(); i++) {
            argv[i + 1] = keys.get(i);
        }
        return argv;
    }

    private static void reply(RespWriter w, MigrateSockets.Result result) {
        if (result.error() == null) {
            w.simple("OK");
        } else {
            w.error(result.error());
        }
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
