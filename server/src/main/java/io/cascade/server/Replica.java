package io.cascade.server;

import io.cascade.conf.HostPort;
import io.cascade.conf.Log;
import io.cascade.replication.PayloadFeed;
import io.cascade.replication.ReplicaLink;
import io.cascade.replication.ReplicationState;
import io.cascade.replication.resp.RespEncoding;
import io.cascade.replication.resp.RespRequest;
import io.cascade.server.command.CommandSpec;
import io.cascade.server.net.Client;
import io.cascade.storage.Databases;
import io.cascade.storage.OffHeapStore;
import io.cascade.storage.rdb.RdbLoader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The replica role on the command thread: which master to follow, the cached master (replid, offset, selected
 * db) a reconnection PSYNCs with, the link's events turned into dataset changes (the payload loaded into a
 * fresh dataset on a loader thread, then swapped in here), the master's commands applied with their offsets,
 * ACKs and timeouts once a second. Link events arrive on the link's event loop, which is this thread's own
 * (CommandThread.eventLoop), and are handled at once (CommandThread.runHere), in the order of the link's I/O.
 */
public final class Replica implements ReplicaLink.Upstream {
    private final Server server;
    private final Dispatcher dispatcher;
    /** This node's history (replid, offset); the one owner of what INFO and PSYNC report. */
    public final ReplicationState repl = new ReplicationState();
    /** The master we follow, or null: we are a master. */
    public HostPort master;
    /** The link being set up or in use, or null between attempts. */
    public ReplicaLink link;
    /** The master's client once the link is CONNECTED (flag M in CLIENT LIST), else null. */
    public Client masterClient;
    /** A PSYNC is possible: repl.replid and repl.masterReplOffset name where we are, cachedDb the db selected. */
    private boolean cachedMaster;
    private int cachedDb;
    /** Stream bytes of the master's open MULTI: the offset moves only at its EXEC (spec 6.6). */
    private long multiBytes;
    /** The open MULTI's requests as they came, forwarded to our replicas with its EXEC (spec 5.1). */
    private final List<byte[]> multiRequests = new ArrayList<>();
    /** Requests of the stream read while clients are paused, applied once the pause ends (in arrival order). */
    private final ArrayDeque<RespRequest> pausedStream = new ArrayDeque<>();
    /** Offset at which the current stream began, for slave_read_repl_offset. */
    private long streamStartOffset;
    /** After the SYNC fallback: no offsets known, no periodic ACKs. */
    private boolean preSync;
    private String fullsyncReplid;
    private long fullsyncOffset;
    /** -1 before the first link; then when the link last went down. */
    public long linkDownSinceMillis = -1;
    private long nextConnectMillis;
    private long lastAckMillis;
    /** A swapdb load: the old dataset answers reads meanwhile (INFO async_loading). */
    public boolean asyncLoading;
    /**
     * The dataset a full sync is loading into, while the loader thread fills it (its memory counts in
     * used_memory, as Redis's second dataset does); null otherwise.
     */
    public volatile Databases loadingDataset;
    /** The load that began while its payload arrives, until swapped in or dropped; null otherwise. */
    private EarlyLoad early;

    /**
     * A load started at payloadStarted, parsing the payload as it is written: it is swapped in only once both
     * the loader is done and the payload is whole (payloadReceived), in whichever order. Command thread.
     */
    private static final class EarlyLoad {
        final ReplicaLink link;
        final long start = System.nanoTime();
        boolean received;
        Path file;
        boolean eofMarked;
        boolean loaderDone;
        Databases fresh;
        RdbLoader.Result result;
        Exception failure;

        EarlyLoad(ReplicaLink link) {
            this.link = link;
        }
    }

    Replica(Server server, Dispatcher dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
    }

    public boolean isReplica() {
        return master != null;
    }

    public boolean linkUp() {
        return link != null && link.state == ReplicaLink.State.CONNECTED && masterClient != null;
    }

    /** ROLE's state word: none, connect, connecting, handshake, sync, connected. */
    public String roleState() {
        if (master == null) {
            return "none";
        }
        return link == null ? "connect" : link.state.roleName;
    }

    /** The db the master's stream has selected, for the RDB's repl-stream-db. */
    public int streamDb() {
        return masterClient != null ? masterClient.db : cachedMaster ? cachedDb : 0;
    }

    /** slave_read_repl_offset: bytes read on the link (1 with neither a link nor a cached master, as Redis). */
    public long readOffset() {
        if (linkUp()) {
            return streamStartOffset + link.streamReadBytes;
        }
        return cachedMaster || masterClient != null ? repl.masterReplOffset : 1;
    }

    public long processedOffset() {
        return cachedMaster || masterClient != null ? repl.masterReplOffset : 1;
    }

    /** The startup load found a saved position: a restarted replica offers it for a partial resync. */
    void restorePosition(String replid, long offset, int db) {
        if (master == null) {
            // a master keeps its fresh replid; the saved one stays valid as replid2, so replicas that were
            // at the saved offset continue (spec 1), and the backlog starts right after it
            repl.replid2 = replid;
            repl.secondReplidOffset = offset + 1;
            repl.masterReplOffset = offset;
            server.downstream.createBacklog();
            return;
        }
        repl.replid = replid;
        repl.masterReplOffset = offset;
        cachedDb = Math.max(0, db);
        cachedMaster = true;
    }

    /**
     * REPLICAOF host port (why: who asked), or the replicaof directive (why null): follow that master.
     * Returns false when it already does.
     */
    public boolean replicaOf(HostPort target, String why) {
        if (target.equals(master)) {
            return false;
        }
        // a master turned replica offers its own history, so it can rejoin cheaply (spec 2.3); the replicaof
        // directive at startup does not: only a saved position (restorePosition) is offered
        follow(target, master == null && why != null);
        if (why != null) {
            Log.notice("REPLICAOF %s:%d enabled (%s)", target.host(), target.port(), why);
        }
        return true;
    }

    /** FAILOVER's replicationSetMaster: follow the replica that takes over, offering our own history. */
    void failoverTo(HostPort target) {
        follow(target, master == null);
    }

    private void follow(HostPort target, boolean offerOwnHistory) {
        if (offerOwnHistory) {
            cachedMaster = true;
            cachedDb = 0;
        }
        dropLink("changing master");
        server.blocking.disconnectAllBlocked("UNBLOCKED force unblock from blocking operation, instance state "
                + "changed (master -> replica?)");
        master = target;
        server.config.setReplicaof(target);
        Log.setRole('S'); // log lines say "S" on a replica, as Redis's do
        server.databases.setExpireDeletes(false);
        nextConnectMillis = 0;
        Log.notice("Connecting to MASTER %s:%d", target.host(), target.port());
    }

    /** REPLICAOF NO ONE: become a master, with a new replid; the old one stays valid for PSYNC as replid2. */
    public void noOne(String why) {
        if (master == null) {
            return;
        }
        dropLink("promoted to master");
        master = null;
        server.config.setReplicaof(null);
        Log.setRole('M');
        cachedMaster = false;
        repl.shift(ReplicationState.randomReplid());
        // our replicas PSYNC again and continue through replid2 with the new history
        server.downstream.disconnectAll("promoted to master");
        server.downstream.seldb = -1;
        server.databases.setExpireDeletes(!server.pause.paused());
        Log.notice("MASTER MODE enabled (%s)", why);
    }

    private void dropLink(String why) {
        if (masterClient != null) {
            cacheMaster();
        }
        if (link != null) {
            link.close(why, true);
            link = null;
        }
        if (server.persistence.loading && !server.persistence.startupLoad) {
            server.persistence.loading = false;
        }
        asyncLoading = false;
    }

    /** Once a second: connect when needed, time out a silent master, ACK what was applied. */
    void cron() {
        if (master == null) {
            return;
        }
        long now = System.currentTimeMillis();
        if (link == null) {
            if (now >= nextConnectMillis && !server.persistence.startupLoad) {
                nextConnectMillis = now + 1000;
                connect();
            }
            return;
        }
        long timeoutMillis = server.config.getLong("repl-timeout") * 1000;
        if (now - link.lastIoMillis > timeoutMillis && link.state != ReplicaLink.State.LOADING) {
            String why = switch (link.state) {
                case CONNECTED -> "MASTER timeout: no data nor PING received...";
                case TRANSFER -> "Timeout receiving bulk data from MASTER... If the problem persists try to set "
                        + "the 'repl-timeout' parameter in redis.conf to a larger value.";
                default -> "Timeout connecting to the MASTER...";
            };
            Log.warning("%s", why);
            link.close(why, true);
            return;
        }
        if (linkUp() && !preSync && now - lastAckMillis >= 1000) {
            lastAckMillis = now;
            link.ack(repl.masterReplOffset);
        }
    }

    private void connect() {
        int announcePort = server.config.getInt("replica-announce-port");
        String pass = server.config.getString("masterauth");
        Path temp = server.config.dir().resolve("temp-" + System.currentTimeMillis() / 1000 + "."
                + ProcessHandle.current().pid() + ".rdb");
        ReplicaLink.Settings s = new ReplicaLink.Settings(master.host(), master.port(),
                emptyToNull(server.config.getString("masteruser")),
                pass == null || pass.isEmpty() ? null : pass.getBytes(StandardCharsets.UTF_8),
                announcePort != 0 ? announcePort : server.boundPort(),
                emptyToNull(server.config.getString("replica-announce-ip")),
                cachedMaster ? repl.replid : null, repl.masterReplOffset + 1, temp, server.failover.inProgress());
        ReplicaLink l = new ReplicaLink(s, this);
        link = l;
        Log.notice("MASTER <-> REPLICA sync started");
        server.connect(master.host(), master.port(), l,
                e -> l.connectFailed("Error condition on socket for SYNC: " + e.getMessage()));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The master's client as a Redis master client: authorised, silent, its db the stream's. */
    private Client newMasterClient(ReplicaLink l, int db) {
        Client c = new Client(server.nextClientId(), l.channel());
        c.master = true;
        c.authenticated = true;
        c.replyMode = Client.ReplyMode.OFF;
        c.replySilent = true;
        c.db = db;
        server.clients.add(c);
        return c;
    }

    private void cacheMaster() {
        cachedMaster = !preSync;
        cachedDb = masterClient.db;
        masterClient.multi = null; // a half-received MULTI is resent after the PSYNC offset
        multiBytes = 0;
        multiRequests.clear();
        pausedStream.clear(); // not applied, so not counted: the PSYNC asks for them again
        server.clients.remove(masterClient);
        masterClient = null;
    }

    // ---- link events, called on the link's event loop (the command thread's: runHere runs them at once) ----

    @Override
    public void fullResync(ReplicaLink l, String replid, long offset) {
        server.main.runHere(() -> {
            if (l != link) {
                return;
            }
            fullsyncReplid = replid;
            fullsyncOffset = offset;
            server.failover.targetAccepted();
        });
    }

    @Override
    public void failoverRefused(ReplicaLink l, String reply) {
        server.main.runHere(() -> {
            if (l == link) {
                server.failover.targetRefused();
            }
        });
    }

    @Override
    public void payloadStarted(ReplicaLink l, PayloadFeed feed) {
        server.main.runHere(() -> {
            if (l != link) {
                closeQuietly(feed);
                return;
            }
            if (early != null) {
                dropEarly(); // the load of a link replaced before its loss was told here
            }
            EarlyLoad e = early = new EarlyLoad(l);
            if (!server.config.getEnum("repl-diskless-load").equals("disabled")) {
                loadingFlags(); // Redis loads these modes from the socket: loading from the payload's first byte
            }
            startLoader(l, feed, e.start, (fresh, r, failure) -> server.main.submit(() -> earlyLoaderDone(e, fresh,
                    r, failure)));
        });
    }

    @Override
    public void payloadReceived(ReplicaLink l, Path file, boolean eofMarked) {
        server.main.runHere(() -> {
            if (l != link) {
                return;
            }
            EarlyLoad e = early;
            if (e == null || e.link != l) {
                load(l, file, eofMarked);
                return;
            }
            e.received = true;
            e.file = file;
            e.eofMarked = eofMarked;
            if (e.loaderDone) {
                finishEarly(e);
            } else {
                loadingFlags(); // from here on as a load of the received file: the same flags, for the rest of it
            }
        });
    }

    @Override
    public void continued(ReplicaLink l, String newReplid) {
        server.main.runHere(() -> {
            if (l != link) {
                return;
            }
            server.failover.targetAccepted();
            if (newReplid != null && !newReplid.equals(repl.replid)) {
                repl.shift(newReplid);
                Log.notice("Master replication ID changed to %s", newReplid);
                server.downstream.disconnectAll("my master's replication ID changed");
            }
            if (server.downstream.backlog() == null) {
                server.downstream.createBacklog();
            }
            masterClient = newMasterClient(l, cachedDb);
            cachedMaster = false;
            preSync = false;
            streamStartOffset = repl.masterReplOffset;
            linkUpNow();
            Log.notice("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
        });
    }

    @Override
    public void commands(ReplicaLink l, List<RespRequest> requests) {
        server.main.runHere(() -> {
            if (l != link || masterClient == null) {
                return;
            }
            for (int i = 0; i < requests.size(); i++) {
                if (!pausedStream.isEmpty() || heldByPause(requests.get(i))) {
                    pausedStream.addAll(requests.subList(i, requests.size()));
                    return;
                }
                apply(requests.get(i));
                if (l != link || masterClient == null) {
                    return; // the stream itself changed the role
                }
            }
        });
    }

    /**
     * Applies the stream read so far, up to the first request a pause holds back (Redis blocks the master client
     * like any other: the offset stays put while the link keeps reading).
     */
    private void applyStream() {
        ReplicaLink l = link;
        while (!pausedStream.isEmpty() && l == link && masterClient != null) {
            RespRequest r = pausedStream.peek();
            if (heldByPause(r)) {
                return;
            }
            pausedStream.poll();
            apply(r);
        }
    }

    /** Whether a client pause holds this request of the master back (no lookup unless a pause is on). */
    private boolean heldByPause(RespRequest r) {
        if (!server.pause.active()) {
            return false;
        }
        CommandSpec spec = server.commands.lookup(r.args());
        return spec != null && server.pause.postpones(masterClient, spec, server.scripting.commandFlags(spec, r.args()));
    }

    /** The pause has ended: what the master sent meanwhile is applied now. */
    void resumeStream() {
        if (!pausedStream.isEmpty()) {
            server.main.submit(this::applyStream);
        }
    }

    @Override
    public void lost(ReplicaLink l, String reason, boolean keepCachedMaster) {
        server.main.runHere(() -> {
            if (early != null && early.link == l) {
                dropEarly();
            }
            if (l != link) {
                return;
            }
            boolean wasUp = masterClient != null;
            Log.notice("%s", reason);
            if (wasUp) {
                cacheMaster();
                linkDownSinceMillis = System.currentTimeMillis();
                nextConnectMillis = 0; // reconnect at once after losing a working link, then every second
            }
            if (!keepCachedMaster) {
                cachedMaster = false;
            }
            link = null;
            if (server.persistence.loading && !server.persistence.startupLoad) {
                server.persistence.loading = false;
            }
            asyncLoading = false;
        });
    }

    // ---- command thread ----

    /** One request of the master's stream: run with the master's privileges, then counted in the offset. */
    private void apply(RespRequest r) {
        server.databases.setMasterApplying(true);
        try {
            dispatcher.executeFromMaster(masterClient, r);
        } finally {
            server.databases.setMasterApplying(false);
        }
        if (masterClient == null) {
            return;
        }
        // what our replicas get is exactly what was applied, once it counts (a MULTI at its EXEC)
        byte[] wire = server.downstream.active() ? RespEncoding.command(r.args()) : null;
        if (masterClient.multi != null) {
            multiBytes += r.wireLength();
            if (wire != null) {
                multiRequests.add(wire);
            }
        } else {
            repl.masterReplOffset += multiBytes + r.wireLength();
            multiBytes = 0;
            if (wire != null) {
                for (byte[] queued : multiRequests) {
                    server.downstream.proxy(queued);
                }
                server.downstream.proxy(wire);
            }
            multiRequests.clear();
        }
    }

    /** REPLCONF GETACK from the master: the offset before the GETACK itself (spec 6.6). */
    public void ackNow() {
        if (linkUp()) {
            link.ack(repl.masterReplOffset);
        }
    }

    /**
     * What the clients see while a payload is loaded: -LOADING, or the old dataset (swapdb, and only when the
     * master's history is the one we had: then the old data is an earlier point of the same dataset, which is
     * Redis's condition for async loading; a new history loads with -LOADING, the old data kept aside).
     */
    private void loadingFlags() {
        boolean swapdb = server.config.getEnum("repl-diskless-load").equals("swapdb");
        asyncLoading = swapdb && repl.replid.equals(fullsyncReplid);
        server.persistence.loading = !asyncLoading;
    }

    /** A load of the whole received file (when it could not be read while it arrived). */
    private void load(ReplicaLink l, Path file, boolean eofMarked) {
        loadingFlags();
        long start = System.nanoTime();
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (IOException e) {
            loadFailed(l, file, new Databases(0), e);
            return;
        }
        startLoader(l, in, start, (fresh, r, failure) -> server.main.submit(() -> {
            if (failure == null) {
                loaded(l, file, fresh, r, eofMarked, start);
            } else {
                loadFailed(l, file, fresh, failure);
            }
        }));
    }

    /** Told on the loader thread how its load ended: the dataset, and either the result or the failure. */
    private interface LoaderEnd {
        void done(Databases fresh, RdbLoader.Result result, Exception failure);
    }

    /** The loader of an early load is done (command thread): swapped in now if the payload is whole. */
    private void earlyLoaderDone(EarlyLoad e, Databases fresh, RdbLoader.Result r, Exception failure) {
        if (e != early) {
            discard(fresh); // its link was lost or replaced meanwhile
            return;
        }
        e.loaderDone = true;
        e.fresh = fresh;
        e.result = r;
        e.failure = failure;
        if (failure instanceof PayloadFeed.TransferStopped && !e.received) {
            return; // the link failed: its lost event drops this load, as a transfer that failed before loading
        }
        if (failure != null || e.received) {
            finishEarly(e); // a bad payload fails at once, without waiting for the rest of it
        }
    }

    private void finishEarly(EarlyLoad e) {
        early = null;
        Path file = e.file != null ? e.file : e.link.settings().tempFile();
        if (e.failure == null) {
            loaded(e.link, file, e.fresh, e.result, e.eofMarked, e.start);
        } else {
            loadFailed(e.link, file, e.fresh, e.failure);
        }
    }

    /** The link of the early load is gone: its dataset, once loaded, is not used. */
    private void dropEarly() {
        if (early.loaderDone) {
            discard(early.fresh);
        }
        early = null; // a loader still running finds it replaced and discards its dataset itself
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing was read
        }
    }

    /** Loads the RDB read from {@code in} into a fresh dataset on a loader thread; {@code end} is told how it went. */
    private void startLoader(ReplicaLink l, InputStream in, long start, LoaderEnd end) {
        // Redis's line as its load begins (tools and Redis's tests wait for it); here the current dataset stays
        // until the loaded one is swapped in
        Log.notice("MASTER <-> REPLICA sync: Loading DB in memory");
        int count = server.databases.count();
        boolean fromSocket = !server.config.getEnum("repl-diskless-load").equals("disabled");
        Thread loader = new Thread(() -> {
            Databases fresh = new Databases(count, i -> new OffHeapStore("db" + i));
            loadingDataset = fresh;
            fresh.setExpireDeletes(false);
            long[] lastKeepalive = {System.currentTimeMillis()};
            long[] lastLog = {lastKeepalive[0]};
            long[] loadedBytes = {0};
            RdbLoader.Options o = new RdbLoader.Options().dropExpired(false).maxDatabases(count)
                    .verifyChecksum(server.config.getBool("rdbchecksum"))
                    .warnings(w -> Log.warning("%s", w))
                    .progress((bytes, keys) -> {
                        long now = System.currentTimeMillis();
                        loadedBytes[0] = bytes;
                        if (now - lastKeepalive[0] >= 1000) {
                            lastKeepalive[0] = now;
                            l.keepalive();
                        }
                        if (now - lastLog[0] >= 5000) {
                            lastLog[0] = now;
                            double secs = (System.nanoTime() - start) / 1e9;
                            Log.notice("MASTER <-> REPLICA sync: loading %d MB, %d keys, %.0f keys/s", bytes >> 20,
                                    keys, keys / secs);
                        }
                    }, 2L << 20, 1000);
            try (InputStream source = in) {
                RdbLoader.Result r = RdbLoader.load(source, fresh, o);
                end.done(fresh, r, null);
            } catch (IOException | RuntimeException e) {
                if (e instanceof PayloadFeed.TransferStopped && fromSocket) {
                    // Redis's lines for a socket load cut short (tools and Redis's tests look for the first)
                    Log.warning("Internal error in RDB reading offset %d, function at RdbLoader -> Unexpected EOF "
                            + "reading RDB file. Failure loading rdb format from socket, assuming connection error, "
                            + "resuming operation.", loadedBytes[0]);
                    Log.warning("Failed trying to load the MASTER synchronization DB from socket, check server logs.");
                }
                end.done(fresh, null, e);
            }
        }, "cascade-sync-load");
        loader.setDaemon(true);
        loader.start();
    }

    private void loaded(ReplicaLink l, Path file, Databases fresh, RdbLoader.Result r, boolean eofMarked,
                        long start) {
        if (l != link) {
            discard(fresh);
            return;
        }
        server.persistence.abortSnapshots("replication full sync");
        for (int i = 0; i < server.databases.count(); i++) {
            server.watches.touchFlushed(server.databases, i);
        }
        server.databases.adopt(fresh);
        loadingDataset = null; // its databases are the server's now, counted there
        // the master's libraries replace ours, as its dataset replaces ours
        server.functions.replaceAll(r.functions());
        server.persistence.loading = false;
        asyncLoading = false;
        try {
            Files.move(file, server.persistence.rdbPath(), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Log.warning("Failed trying to rename the temp DB into %s in MASTER <-> REPLICA synchronization: %s",
                    server.persistence.rdbPath().getFileName(), e.getMessage());
        }
        preSync = fullsyncReplid == null && fullsyncOffset < 0;
        repl.adopt(fullsyncReplid != null ? fullsyncReplid : repl.replid, fullsyncOffset);
        int db = r.replStreamDb();
        masterClient = newMasterClient(l, db >= 0 && db < server.databases.count() ? db : 0);
        cachedMaster = false;
        streamStartOffset = repl.masterReplOffset;
        multiBytes = 0;
        multiRequests.clear();
        server.downstream.upstreamFullSync();
        Log.notice("MASTER <-> REPLICA sync: Finished with success (%d keys in %.3f seconds)", r.keysLoaded(),
                (System.nanoTime() - start) / 1e9);
        linkUpNow();
        l.startStream();
        if (eofMarked) {
            l.ack(repl.masterReplOffset); // the master holds the stream until this first ACK (spec 4.6)
        }
    }

    private void loadFailed(ReplicaLink l, Path file, Databases fresh, Exception e) {
        discard(fresh);
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the next attempt writes a file of another name
        }
        if (l != link) {
            return;
        }
        Log.warning("Failed trying to load the MASTER synchronization DB from disk, check server logs. (%s); "
                + "the old dataset is kept", e.getMessage());
        server.persistence.loading = false;
        asyncLoading = false;
        cachedMaster = false; // a new full sync is needed
        link.close("Failed to load the payload from MASTER", false);
    }

    private void discard(Databases fresh) {
        if (loadingDataset == fresh) {
            loadingDataset = null;
        }
        fresh.close();
    }

    private void linkUpNow() {
        linkDownSinceMillis = 0;
        lastAckMillis = System.currentTimeMillis();
    }
}
