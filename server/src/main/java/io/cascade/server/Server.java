package io.cascade.server;

import io.cascade.conf.Config;
import io.cascade.conf.Log;
import io.cascade.replication.ReplicationState;
import io.cascade.replication.resp.RespProtocolException;
import io.cascade.replication.resp.RespRequest;
import io.cascade.replication.resp.RespWriter;
import io.cascade.server.acl.Acl;
import io.cascade.server.acl.AclUser;
import io.cascade.server.command.CommandSpec;
import io.cascade.server.command.CommandStats;
import io.cascade.server.command.CommandTable;
import io.cascade.server.migrate.MigrateSockets;
import io.cascade.server.net.Client;
import io.cascade.server.net.ClientHandler;
import io.cascade.server.net.NetServer;
import io.cascade.server.scripting.Functions;
import io.cascade.server.scripting.Scripting;
import io.cascade.storage.AccessClock;
import io.cascade.storage.Databases;
import io.cascade.storage.Keyspace;
import io.cascade.storage.OffHeapStore;
import io.cascade.storage.types.EncodingLimits;
import io.netty.channel.ChannelHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One Cascade server: wires the configuration, the dataset, the command table, the command thread and the
 * listeners, and implements the I/O threads' gateway into the command thread. Started and stopped from the
 * main thread; everything else it owns is touched on the command thread unless noted.
 */
public final class Server implements ClientHandler.Gateway {
    public static final String VERSION = Version.get();
    /** The Redis version Cascade answers as (INFO redis_version, HELLO): clients pick features by it. */
    public static final String REDIS_VERSION = "7.0.15";

    public final Config config;
    public final CommandTable commands;
    /** The ACL users, the check before each command and the ACL log. */
    public final Acl acl;
    public final Databases databases;
    public final Stats stats = new Stats();
    public final Clients clients = new Clients(stats);
    public final Watches watches = new Watches();
    public final Monitors monitors = new Monitors(clients);
    /** Channels, patterns and shard channels with their subscribers. */
    public final PubSub pubsub;
    /** Keyspace events published through pubsub, per notify-keyspace-events. */
    public final Notifications notifications;
    /** Clients blocked on keys (BLPOP ...), their timeouts and their held requests. */
    public final Blocking blocking = new Blocking(this);
    /** CLIENT PAUSE, and the pauses of a FAILOVER or a SHUTDOWN waiting for replicas. */
    public final Pause pause = new Pause(this);
    /** A FAILOVER this master coordinates. */
    public final Failover failover = new Failover(this);
    public final CommandThread main;
    /** SAVE, BGSAVE, the save rules and their counters. */
    public final Persistence persistence;
    /** SLOWLOG's entries. */
    public final Slowlog slowlog;
    /** LATENCY's events. */
    public final LatencyMonitor latency;
    public final String runId = randomHex(40);
    public final long startMillis = System.currentTimeMillis();
    /** DEBUG SET-ACTIVE-EXPIRE: false stops the active expire cycle (keys then expire only when touched). */
    public boolean activeExpireEnabled = true;
    /** DEBUG PAUSE-CRON: true stops the periodic work (expiry, metrics, timeouts) until set back. */
    public boolean cronPaused;
    /** Changes since the last save (Redis's server.dirty): INFO's rdb_changes_since_last_save. */
    public long dirty;

    private final Dispatcher dispatcher;
    /** The replica role: the master followed, the link, the replication state (replid, offset). */
    public final Replica replica;
    /** The master role: downstream replicas, the backlog, SYNC/PSYNC served. */
    public final Downstream downstream;
    /** What this node's own commands send down the stream when it is the top master. */
    public final Propagation propagation;
    /** EVAL's script cache and interpreter, and the busy-script state. */
    public final Scripting scripting;
    /** The function libraries (FUNCTION LOAD, FCALL), kept in the RDB. */
    public final Functions functions;
    /** used_memory, its parts and its peak. */
    public final UsedMemory usedMemory = new UsedMemory(this);
    /** maxmemory: the keys evicted to stay under it. */
    public final Evictions evictions = new Evictions(this);
    /** MIGRATE's cached connections to its targets and the thread that talks to them. */
    public final MigrateSockets migrateSockets = new MigrateSockets();
    /** MEMORY STATS' startup.allocated: the heap in use once the server was built (server.initial_memory_usage). */
    public final long initialMemoryUsage;
    private final NetServer net;
    /** Clients counted at accept time on I/O threads, for maxclients. */
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicLong clientIds = new AtomicLong();
    private final Shutdown shutdown;
    /** Chronicle Map's one-time class generation, joined before the listeners open. */
    private final Thread storeWarmUp;

    public Server(Config config) {
        this.config = config;
        this.slowlog = new Slowlog(config);
        this.latency = new LatencyMonitor(config);
        this.pubsub = new PubSub(clients, new OutputLimits(config, clients));
        this.notifications = new Notifications(pubsub, config.notifyKeyspaceEvents());
        config.onChange("notify-keyspace-events", (old, cfg) -> {
            notifications.setFlags(cfg.notifyKeyspaceEvents());
            return null;
        });
        // the dataset lives off heap; a database allocates nothing until its first write
        this.storeWarmUp = OffHeapStore.warmUp();
        this.databases = new Databases(config.getInt("databases"), i -> new OffHeapStore("db" + i));
        this.databases.setListener(new Keyspace.Listener() {
            @Override
            public void modified(Keyspace db, byte[] key) {
                watches.touch(databases, db.index(), key);
                blocking.signalKeyAsReady(db, key);
                dirty++;
            }

            @Override
            public void added(Keyspace db, byte[] key) {
                notifications.notify(Notifications.NEW, "new", key, db.index()); // dbAdd
            }

            @Override
            public void expired(Keyspace db, byte[] key) {
                // deleteExpiredKeyAndPropagate: the event first, then the key is signalled and the DEL propagated
                notifications.notify(Notifications.EXPIRED, "expired", key, db.index());
                // Redis signals an expired key as modified: a client WATCHing it sees its EXEC fail
                watches.touch(databases, db.index(), key);
                stats.expiredKeys++;
                // the replicas delete it when the master says so (spec 6.3): within the running command's
                // unit, or on its own for the active expire cycle
                propagation.also(db.index(), propagation.expiredDelete(), key);
            }
        });
        this.commands = CommandFamilies.table();
        this.commands.rename(config.renamedCommands());
        this.acl = new Acl(commands, config);
        acl.onChannelsNarrowed(this::dropSubscribersBeyond);
        config.setCurrentUsers(acl::asDirectives);
        this.dispatcher = new Dispatcher(this);
        this.blocking.attach(dispatcher);
        this.replica = new Replica(this, dispatcher);
        this.downstream = new Downstream(this);
        this.propagation = new Propagation(this);
        this.blocking.setPropagator(propagation::replaceWith);
        this.scripting = new Scripting(this);
        this.scripting.busy.onReplay(dispatcher::executeNow);
        this.functions = new Functions(scripting);
        this.main = new CommandThread(() -> {
            clients.flush();
            downstream.pumpAll();
        }, this::cron, config.getInt("hz"), NetServer.ioHandlerFactory());
        this.persistence = new Persistence(this);
        this.main.setBackgroundWork(persistence::step);
        this.net = new NetServer(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                () -> new ClientHandler(this));
        this.shutdown = new Shutdown(this, net);
        // what stays of the heap once the server is built, not the garbage of building it: used_memory starts
        // from this figure, and a small maxmemory (Redis starts under 1 MB) must leave room for data
        long gcStart = System.nanoTime();
        System.gc();
        this.initialMemoryUsage = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        Log.verbose("Heap in use once started: %d bytes (collected in %d ms)", initialMemoryUsage,
                (System.nanoTime() - gcStart) / 1_000_000);
        config.onChange("hz", (old, cfg) -> {
            main.setHz(cfg.getInt("hz"));
            return null;
        });
        config.onChange("port", (old, cfg) -> rebind(cfg, "Unable to listen on this port. Check server logs."));
        config.onChange("bind", (old, cfg) -> rebind(cfg, "Failed to bind to specified addresses."));
        clients.onReplicaKilled(downstream::gone);
        config.onChange("repl-backlog-size", (old, cfg) -> {
            downstream.resizeBacklog();
            return null;
        });
        config.onChange("tcp-keepalive", (old, cfg) -> {
            net.setKeepAlive(cfg.getInt("tcp-keepalive"));
            return null;
        });
        applyEncodingLimits(config);
        for (String name : new String[] {"hash-max-listpack-entries", "hash-max-listpack-value", "set-max-intset-entries",
                "zset-max-listpack-entries", "zset-max-listpack-value", "list-max-listpack-size", "list-compress-depth",
                "stream-node-max-bytes", "stream-node-max-entries"}) {
            config.onChange(name, (old, cfg) -> {
                applyEncodingLimits(cfg);
                return null;
            });
        }
        applyAccessClock(config);
        for (String name : new String[] {"maxmemory-policy", "lfu-log-factor", "lfu-decay-time"}) {
            config.onChange(name, (old, cfg) -> {
                applyAccessClock(cfg);
                return null;
            });
        }
        evictions.setMaxmemory(config.getMemory("maxmemory"));
        config.onChange("maxmemory", (old, cfg) -> {
            evictions.setMaxmemory(cfg.getMemory("maxmemory"));
            maxmemoryChanged(cfg.getMemory("maxmemory"));
            return null;
        });
        config.onChange("loglevel", (old, cfg) -> {
            Log.setLevel(Log.Level.parse(cfg.getEnum("loglevel")));
            return null;
        });
    }

    /** updateMaxmemory: a limit under what is in use now is warned about, and evicts at once. */
    private void maxmemoryChanged(long maxmemory) {
        if (maxmemory == 0) {
            return;
        }
        long used = usedMemory.used() - usedMemory.notCountedForEviction();
        if (Long.compareUnsigned(maxmemory, used) < 0) {
            Log.warning("WARNING: the new maxmemory value set via CONFIG SET (%s) is smaller than the current memory "
                    + "usage (%d). This will result in key eviction and/or the inability to accept new write commands "
                    + "depending on the maxmemory-policy.", Long.toUnsignedString(maxmemory), used);
        }
        evictions.startTimeProc();
    }

    /** The encoding thresholds the values consult (OBJECT ENCODING, RDB encodings, compact storage). */
    private static void applyEncodingLimits(Config cfg) {
        EncodingLimits.hashMaxListpackEntries = clampInt(cfg.getLong("hash-max-listpack-entries"));
        EncodingLimits.hashMaxListpackValue = clampInt(cfg.getMemory("hash-max-listpack-value"));
        EncodingLimits.setMaxIntsetEntries = clampInt(cfg.getLong("set-max-intset-entries"));
        EncodingLimits.zsetMaxListpackEntries = clampInt(cfg.getLong("zset-max-listpack-entries"));
        EncodingLimits.zsetMaxListpackValue = clampInt(cfg.getMemory("zset-max-listpack-value"));
        EncodingLimits.listMaxListpackSize = cfg.getInt("list-max-listpack-size");
        EncodingLimits.listCompressDepth = cfg.getInt("list-compress-depth");
        EncodingLimits.streamNodeMaxBytes = cfg.getMemory("stream-node-max-bytes");
        EncodingLimits.streamNodeMaxEntries = cfg.getLong("stream-node-max-entries");
    }

    /** The policy the keys' access fields follow: LRU clock or LFU counter (OBJECT IDLETIME / FREQ). */
    private static void applyAccessClock(Config cfg) {
        AccessClock.configure(cfg.getEnum("maxmemory-policy"), clampInt(cfg.getLong("lfu-log-factor")),
                clampInt(cfg.getLong("lfu-decay-time")));
    }

    private static int clampInt(long v) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, v));
    }

    /**
     * Binds the listeners, starts serving, and loads the RDB file on the command thread, where clients get
     * -LOADING meanwhile, as Redis's; throws with Redis's wording when the port cannot be bound.
     */
    public void start() throws IOException {
        long waitStart = System.nanoTime();
        try {
            storeWarmUp.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while preparing the off-heap store", e);
        }
        Log.verbose("Off-heap store ready (waited %d ms)", (System.nanoTime() - waitStart) / 1_000_000);
        int port = config.getInt("port");
        net.setKeepAlive(config.getInt("tcp-keepalive"));
        net.bindTcp(config.bind(), port, config.getInt("tcp-backlog"));
        String unixsocket = config.getString("unixsocket");
        if (unixsocket != null && !unixsocket.isEmpty()) {
            unixsocket = config.dir().resolve(unixsocket).toString(); // relative to dir, as after Redis's chdir
            net.bindUnix(unixsocket, config.getInt("unixsocketperm"), config.getInt("tcp-backlog"));
            Log.notice("The server is now ready to accept connections at %s", unixsocket);
        }
        shutdown.writePidFile();
        shutdown.install();
        persistence.loading = Files.exists(persistence.rdbPath());
        main.start();
        Log.notice("Server initialized (transport %s)", net.transport());
        if (config.replicaof() != null) {
            replica.replicaOf(config.replicaof(), null);
        }
        main.submit(() -> {
            if (!persistence.loadAtStartup()) {
                System.exit(1); // Redis exits too: a dataset that cannot be read is not served half loaded
            }
            if (port != 0) {
                Log.notice("Ready to accept connections tcp");
            }
        });
    }

    /** EXEC: runs one queued command as if it had just arrived, past the admission checks. */
    public void callQueued(Client client, Transaction.Queued q, RespWriter reply) {
        dispatcher.call(client, q.spec(), q.argv(), reply);
    }

    /** A command a script calls (redis.call): Redis's call() as the script client, past the admission checks. */
    public void callFromScript(Client client, CommandSpec spec, byte[][] argv,
                               RespWriter reply) {
        dispatcher.call(client, spec, argv, reply);
    }

    /** replicationFeedMonitors for a command that feeds MONITOR itself (EVAL, before its commands). */
    public void feedMonitors(Client client, byte[][] argv) {
        if (!monitors.isEmpty()) {
            monitors.feed(client, client.db, argv, new BitSet(), config.getString("unixsocket"));
        }
    }

    /** "epoll" or "nio": INFO's multiplexing_api. */
    public String transport() {
        return net.transport();
    }

    /** One command's counters (INFO commandstats), made on first use. */
    public CommandStats commandStats(CommandSpec spec) {
        return dispatcher.stats(spec);
    }

    public Map<CommandSpec, CommandStats> commandStats() {
        return dispatcher.commandStats();
    }

    /** CONFIG RESETSTAT. */
    public void resetStats() {
        stats.reset();
        dispatcher.commandStats().clear();
        downstream.resetStats();
        usedMemory.resetPeak();
        evictions.resetStats();
    }

    /** CONFIG SET port or bind: listen at the new place, or fail the CONFIG SET and stay where we were. */
    private String rebind(Config cfg, String failure) {
        try {
            net.rebindTcp(cfg.bind(), cfg.getInt("port"), cfg.getInt("tcp-backlog"));
            return null;
        } catch (IOException e) {
            Log.warning("%s", e.getMessage());
            return failure;
        }
    }

    /**
     * Opens the replica's connection to its master on the command thread's own event loop: the stream is read,
     * applied and forwarded to sub-replicas there with no hand-off between threads (the lag a hop adds).
     */
    void connect(String host, int port, ChannelHandler handler,
                 Consumer<Throwable> failed) {
        net.connect(host, port, main.eventLoop(), handler, failed);
    }

    public int boundPort() {
        return net.boundPort();
    }

    public Shutdown shutdown() {
        return shutdown;
    }

    /** The default user has a password or is off (Redis's authRequired): read on I/O threads too. */
    public boolean passwordRequired() {
        return acl.authRequired();
    }

    /**
     * ACLKillPubsubClientsIfNeeded: the user's channels were narrowed, so its connections subscribed to a channel
     * or pattern it no longer has are dropped.
     */
    private void dropSubscribersBeyond(AclUser user) {
        if (Acl.allChannels(user)) {
            return;
        }
        List<byte[]> allowed = Acl.channelsOf(user);
        for (Client c : clients.all().toArray(new Client[0])) {
            if (c.user != user || !c.pubsub) {
                continue;
            }
            boolean beyond = c.pubsubPatterns.stream().anyMatch(p -> !Acl.channelIn(allowed, p.b, true))
                    || c.pubsubChannels.stream().anyMatch(ch -> !Acl.channelIn(allowed, ch.b, false))
                    || c.pubsubShardChannels.stream().anyMatch(ch -> !Acl.channelIn(allowed, ch.b, false));
            if (beyond) {
                clients.kill(c);
            }
        }
    }

    // ---- Gateway: called on I/O threads ----

    @Override
    public String admit(Client client) {
        if (connected.incrementAndGet() > config.getInt("maxclients")) {
            connected.decrementAndGet();
            stats.rejectedConnections.incrementAndGet();
            return "-ERR max number of clients reached\r\n";
        }
        if (config.getBool("protected-mode") && !passwordRequired() && !client.isLocal()) {
            connected.decrementAndGet();
            stats.rejectedConnections.incrementAndGet();
            return ProtectedMode.DENIED;
        }
        stats.connectionsReceived.incrementAndGet();
        return null;
    }

    @Override
    public long nextClientId() {
        return clientIds.incrementAndGet();
    }

    @Override
    public long maxBulkLength() {
        return config.getMemory("proto-max-bulk-len");
    }

    @Override
    public void connected(Client client) {
        main.submit(() -> {
            client.user = acl.defaultUser();
            clients.add(client);
            Log.verbose("Accepted %s", client.addr);
        });
    }

    @Override
    public void requests(Client client, List<RespRequest> requests) {
        main.submit(() -> {
            for (RespRequest request : requests) {
                dispatcher.execute(client, request);
            }
        });
    }

    @Override
    public void protocolError(Client client, RespProtocolException error, String bufferSample) {
        main.submit(() -> {
            Log.verbose("Protocol error (%s) from client: id=%d addr=%s. Query buffer during protocol error: '%s'",
                    error.logReason(), client.id, client.addr, bufferSample);
            // the message may quote one byte of the request ("got '\xff'"): one char per byte, as sent
            clients.replyTo(client).error(("ERR " + error.getMessage()).getBytes(StandardCharsets.ISO_8859_1));
            clients.closeAfterReply(client);
        });
    }

    @Override
    public void disconnected(Client client) {
        connected.decrementAndGet();
        main.submit(() -> {
            clients.remove(client);
            pubsub.clientGone(client);
            blocking.clientGone(client);
            watches.unwatchAll(client);
            monitors.remove(client);
            downstream.gone(client);
            Log.verbose("Client closed connection id=%d addr=%s", client.id, client.addr);
        });
    }

    @Override
    public void writable(Client client) {
        if (client.replicaSession != null) {
            main.submit(() -> downstream.writable(client));
        }
    }

    @Override
    public void countInput(long bytes) {
        stats.netInputBytes.addAndGet(bytes);
        stats.readsProcessed.incrementAndGet();
    }

    @Override
    public long queryBufferLimit() {
        return config.getMemory("client-query-buffer-limit");
    }

    @Override
    public void queryBufferOverflow(Client client, long bytes) {
        Log.warning("Closing client that reached max query buffer length: id=%d addr=%s qbuf=%d", client.id,
                client.addr, bytes);
    }

    // ---- command thread ----

    /** Periodic work, hz times a second: idle client timeouts and the instantaneous metrics. */
    private void cron() {
        if (cronPaused) {
            return;
        }
        long now = System.currentTimeMillis();
        stats.sample(now);
        // Redis's activeExpireCycle (slow mode): at most 25% of a cron tick, spread over the databases; none
        // while clients are paused, which keeps the dataset as it is
        if (activeExpireEnabled && !pause.paused()) {
            long budget = 250_000_000L / Math.max(1, config.getInt("hz")) / databases.count();
            long start = System.nanoTime();
            Keyspace.CycleCounts counts = new Keyspace.CycleCounts();
            for (int i = 0; i < databases.count(); i++) {
                databases.db(i).activeExpireCycle(budget, counts);
            }
            long elapsed = System.nanoTime() - start;
            stats.expireCycleDone(counts, elapsed);
            latency.addSampleIfNeeded("expire-cycle", elapsed / 1_000_000);
        }
        if (replica.isReplica()) {
            for (int i = 0; i < databases.count(); i++) {
                databases.db(i).expireOwnKeys();
            }
        }
        blocking.handleTimeouts();
        usedMemory.cron();
        persistence.cron();
        replica.cron();
        failover.cron();
        downstream.cron();
        shutdown.cron();
        long timeout = config.getLong("timeout");
        if (timeout > 0) {
            for (Client c : clients.all().toArray(new Client[0])) {
                // a client waiting in BLPOP is not idle (Redis's clientsCronHandleTimeout)
                // nor are our master's link and our replicas (Redis exempts them too)
                if (now - c.lastInteractionMillis > timeout * 1000 && !blocking.isBlocked(c) && !c.master
                        && c.replicaSession == null) {
                    Log.verbose("Closing idle client");
                    c.channel.close();
                }
            }
        }
    }

    /** DEBUG CHANGE-REPL-ID (Redis's changeReplicationId): this server's history gets a new ID. */
    public void changeReplicationId() {
        replica.repl.replid = ReplicationState.randomReplid();
    }

    static String randomHex(int chars) {
        byte[] b = new byte[chars / 2];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
