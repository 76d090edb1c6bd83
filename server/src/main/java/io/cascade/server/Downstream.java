package io.cascade.server;

import io.cascade.conf.ClientOutputBufferLimit;
import io.cascade.conf.Log;
import io.cascade.replication.Backlog;
import io.cascade.replication.ReplicaSession;
import io.cascade.replication.ReplicationState;
import io.cascade.replication.SocketRdbSink;
import io.cascade.replication.resp.RespWriter;
import io.cascade.server.command.CommandContext;
import io.cascade.server.net.Client;
import io.cascade.storage.rdb.RdbRecordWriter;
import io.cascade.storage.rdb.RdbType;
import io.netty.channel.DefaultFileRegion;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * This node as a master (spec 4 and 5): the downstream replicas, the backlog they share, SYNC and PSYNC
 * served (+CONTINUE from the backlog, or +FULLRESYNC and a snapshot), the stream fed to them (this node's own
 * writes when it is the top master, its upstream's bytes verbatim when it is a middle node), and the 1 Hz
 * work: newline keepalives, PINGs, timeouts, output limits, the backlog's TTL. Command thread only.
 */
public final class Downstream {
    private static final byte[] NEWLINE = {'\n'};
    /** `*1\r\n$4\r\nping\r\n`: a top master's PING, lowercase as Redis sends it (spec 4.11). */
    private static final byte[] PING = "*1\r\n$4\r\nping\r\n".getBytes(StandardCharsets.US_ASCII);
    /** What a master puts into the stream for WAIT: every replica answers with its offset (spec 4.8). */
    private static final byte[] GETACK = "*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    /** Redis raises smaller repl-backlog-size values to this. */
    static final long MIN_BACKLOG = 16 * 1024;

    private final Server server;
    private final List<ReplicaSession> sessions = new ArrayList<>();
    private Backlog backlog;
    /** Redis's slaveseldb: the db of the last command fed to the replicas; -1 forces a SELECT first. */
    int seldb = -1;
    /**
     * The diskless transfers running, oldest first: each batch of replicas gets a snapshot of its own as soon as
     * its repl-diskless-sync-delay is over, whatever else is being saved (Redis makes it wait for its one child).
     */
    private final List<SocketRdbSink> transfers = new ArrayList<>();
    /** A BGSAVE started for disk-based replicas is running (replicas arriving meanwhile can share it). */
    private boolean diskSyncRunning;
    private long noReplicasSinceMillis = System.currentTimeMillis();
    /** Seconds of replication cron since start: Redis pings when it is a multiple of the period. */
    private long cronLoops;
    private long lastCronMillis;
    /** Clients blocked in WAIT, in the order they blocked. */
    private final List<Waiter> waiters = new ArrayList<>();
    /** A client blocked in WAIT during this batch: a GETACK goes into the stream before the replies go out. */
    private boolean getackPending;
    /** The pending GETACK was asked for just before a pause (SHUTDOWN): it goes out all the same. */
    private boolean getackBeforePause;
    public long syncFull;
    public long syncPartialOk;
    public long syncPartialErr;

    Downstream(Server server) {
        this.server = server;
    }

    private ReplicationState repl() {
        return server.replica.repl;
    }

    public List<ReplicaSession> sessions() {
        return sessions;
    }

    public Backlog backlog() {
        return backlog;
    }

    long configuredBacklogSize() {
        return Math.max(MIN_BACKLOG, server.config.getMemory("repl-backlog-size"));
    }

    /** CONFIG RESETSTAT: sync_full, sync_partial_ok, sync_partial_err back to 0. */
    void resetStats() {
        syncFull = 0;
        syncPartialOk = 0;
        syncPartialErr = 0;
    }

    /** The backlog begins at the current offset (a replica's first sync, a restart that kept its position). */
    void createBacklog() {
        backlog = new Backlog(configuredBacklogSize(), repl().masterReplOffset);
    }

    void resizeBacklog() {
        if (backlog != null) {
            backlog.resize(configuredBacklogSize(), oldestNeeded());
        }
    }

    // ---- SYNC and PSYNC (spec 4.1) ----

    /** SYNC, or PSYNC replid offset [FAILOVER], from client c, after the command's own checks passed. */
    public void sync(Client c, String replid, long offset, boolean psync) {
        if (c.channel.eventLoop() != server.main.eventLoop()) {
            // a replica's socket is written by the command thread itself, as the stream is applied: the move
            // happens once, while the replica waits for this answer (its replies so far are out)
            server.clients.writePendingNow(c);
            server.main.adopt(c.channel, () -> {
                if (!c.closed) {
                    sync(c, replid, offset, psync);
                }
            });
            return;
        }
        Log.notice("Replica %s asks for synchronization", name(c));
        if (psync && tryPartial(c, replid, offset)) {
            syncPartialOk++;
            return;
        }
        if (psync && !replid.equals("?")) {
            syncPartialErr++;
        }
        syncFull++;
        ReplicaSession s = attach(c, !psync);
        if (c.replRdbNoData) {
            sendEmptyRdb(s);
            return;
        }
        if (sessions.size() == 1 && backlog == null) {
            // the first replica of a master without a backlog: a new history begins here (spec 1)
            repl().replid = ReplicationState.randomReplid();
            repl().clearReplid2();
            createBacklog();
            Log.notice("Replication backlog created, my new replication IDs are '%s' and '%s'", repl().replid,
                    repl().replid2);
        }
        startOrJoin(s);
    }

    private ReplicaSession attach(Client c, boolean prePsync) {
        server.clients.writePendingNow(c);
        String ip = c.replIpAddress != null ? c.replIpAddress : peerIp(c);
        ReplicaSession s = new ReplicaSession(c.channel, c.id, ip, c.replListeningPort, c.replCapaEof,
                c.replCapaPsync2, prePsync, c.replRdbOnly);
        c.replicaSession = s;
        c.replySilent = true;
        sessions.add(s);
        noReplicasSinceMillis = -1;
        return s;
    }

    /** Spec 4.2: the same history (replid, or replid2 up to second_repl_offset) and the backlog covers it. */
    private boolean tryPartial(Client c, String replid, long offset) {
        ReplicationState r = repl();
        if (!replid.equalsIgnoreCase(r.replid)) {
            if (!replid.equalsIgnoreCase(r.replid2)) {
                if (!replid.equals("?")) {
                    Log.notice("Partial resynchronization not accepted: Replication ID mismatch (Replica asked for "
                            + "'%s', my replication IDs are '%s' and '%s')", replid, r.replid, r.replid2);
                } else {
                    Log.notice("Full resync requested by replica %s", name(c));
                }
                return false;
            }
            if (offset > r.secondReplidOffset) {
                Log.notice("Partial resynchronization not accepted: Requested offset for second ID was %d, but I "
                        + "can reply up to %d", offset, r.secondReplidOffset);
                return false;
            }
        }
        if (backlog == null || !backlog.covers(offset)) {
            Log.notice("Unable to partial resync with replica %s for lack of backlog (Replica request was: %d).",
                    name(c), offset);
            if (backlog != null && offset > repl().masterReplOffset + 1) {
                Log.warning("Warning: replica %s tried to PSYNC with an offset that is greater than the master "
                        + "replication offset.", name(c));
            }
            return false;
        }
        ReplicaSession s = attach(c, false);
        s.state = ReplicaSession.State.ONLINE;
        s.sendOffset = offset;
        // +CONTINUE goes straight to the socket, before the backlog bytes; its replid only for psync2 replicas
        s.writeDirect((s.capaPsync2 ? "+CONTINUE " + r.replid + "\r\n" : "+CONTINUE\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        Log.notice("Partial resynchronization request from %s accepted. Sending %d bytes of backlog starting from "
                + "offset %d.", name(c), backlog.endOffset() + 1 - offset, offset);
        s.pump(backlog);
        return true;
    }

    /**
     * Spec 4.4: a disk-based replica joins the BGSAVE in progress, waits for the next one, or starts one now; a
     * diskless one gets a transfer of its own now or, with repl-diskless-sync-delay, with the replicas that come
     * in the meantime.
     */
    private void startOrJoin(ReplicaSession s) {
        boolean diskless = disklessFor(s);
        if (!diskless && server.persistence.bgsaveInProgress()) {
            ReplicaSession peer = diskSyncRunning ? endPeer() : null;
            if (peer != null && !s.rdbOnly) {
                // the file being written is consistent with peer's offset: s gets the same file and stream
                s.state = ReplicaSession.State.WAIT_BGSAVE_END;
                s.sendOffset = peer.sendOffset;
                fullResyncLine(s, peer.sendOffset - 1);
                Log.notice("Waiting for end of BGSAVE for SYNC");
            } else {
                Log.notice("Can't attach the replica to the current BGSAVE. Waiting for next BGSAVE for SYNC");
            }
            return;
        }
        if (diskless && server.config.getInt("repl-diskless-sync-delay") > 0) {
            Log.notice("Delay next BGSAVE for diskless SYNC");
            return; // the cron starts it when the delay is over
        }
        startSnapshot(diskless);
    }

    /** A disk-based replica waiting for the end of the BGSAVE in progress, whose offset a newcomer can share. */
    private ReplicaSession endPeer() {
        for (ReplicaSession p : sessions) {
            if (p.state == ReplicaSession.State.WAIT_BGSAVE_END && p.transfer == null && !p.rdbOnly) {
                return p;
            }
        }
        return null;
    }

    /**
     * repl-diskless-sync and a replica that can read an EOF-marked payload. Redis sends the whole batch from disk
     * when one of them cannot; here each kind gets its own snapshot, so the others need not wait for the disk.
     */
    private boolean disklessFor(ReplicaSession s) {
        return s.capaEof && server.config.getBool("repl-diskless-sync");
    }

    /** The replicas of one kind waiting for a snapshot. */
    private List<ReplicaSession> waiting(boolean diskless) {
        List<ReplicaSession> batch = new ArrayList<>();
        for (ReplicaSession s : sessions) {
            if (s.state == ReplicaSession.State.WAIT_BGSAVE_START && !s.closed && disklessFor(s) == diskless) {
                batch.add(s);
            }
        }
        return batch;
    }

    /**
     * Starts one snapshot for every replica of that kind waiting for one (Redis's startBgsaveForReplication):
     * a transfer to their sockets, or a BGSAVE whose file they are sent.
     */
    private void startSnapshot(boolean diskless) {
        List<ReplicaSession> batch = waiting(diskless);
        if (batch.isEmpty()) {
            return;
        }
        Log.notice("Starting BGSAVE for SYNC with target: %s", diskless ? "replicas sockets" : "disk");
        long offset = repl().masterReplOffset;
        for (ReplicaSession s : batch) {
            s.state = ReplicaSession.State.WAIT_BGSAVE_END;
            s.sendOffset = offset + 1;
            fullResyncLine(s, offset);
        }
        seldb = -1; // the next command fed goes after a SELECT: the replica's db is unknown to us
        if (diskless) {
            SocketRdbSink sink = new SocketRdbSink(batch, server.config.getBool("rdbchecksum"), this::disklessDone);
            for (ReplicaSession s : batch) {
                s.transfer = sink;
            }
            transfers.add(sink);
            server.persistence.transferTo(sink);
        } else if (server.persistence.bgsave()) {
            diskSyncRunning = true;
        } else {
            for (ReplicaSession s : batch) {
                fail(s, "-ERR BGSAVE failed, replication can't continue\r\n");
            }
        }
    }

    /** A filtered sync that wants no data (redis-cli --replica): an empty RDB of its own, then the stream. */
    private void sendEmptyRdb(ReplicaSession s) {
        if (backlog == null) {
            createBacklog();
        }
        long offset = repl().masterReplOffset;
        s.state = ReplicaSession.State.WAIT_BGSAVE_END;
        s.sendOffset = offset + 1;
        fullResyncLine(s, offset);
        seldb = -1;
        RdbRecordWriter records = new RdbRecordWriter(false);
        records.header(RdbType.RDB_VERSION);
        server.persistence.options().aux.forEach(records::aux);
        records.eof();
        SocketRdbSink sink = new SocketRdbSink(List.of(s), server.config.getBool("rdbchecksum"), outcome -> {
            s.state = ReplicaSession.State.ONLINE;
            s.holdUntilAck = true;
            s.ackMillis = System.currentTimeMillis();
        });
        sink.write(records.take());
        sink.finish();
    }

    private void fullResyncLine(ReplicaSession s, long offset) {
        if (!s.prePsyncSync) {
            s.writeDirect(("+FULLRESYNC " + repl().replid + " " + offset + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** The diskless transfer's end (the last byte handed to the sockets): online, stream held until the ACK. */
    private void disklessDone(SocketRdbSink.Outcome outcome) {
        SocketRdbSink sink = outcome.sink();
        transfers.remove(sink);
        server.persistence.transferEnded(sink);
        List<ReplicaSession> batch = sink.replicas();
        for (ReplicaSession s : batch) {
            s.transfer = null;
        }
        if (outcome.aborted()) {
            Log.warning("Background transfer error");
            for (ReplicaSession s : batch) {
                if (s.state == ReplicaSession.State.WAIT_BGSAVE_END && !s.closed) {
                    close(s, "the snapshot was aborted");
                }
            }
            return;
        }
        Log.notice("Background RDB transfer terminated with success (%d bytes)", outcome.bytes());
        for (ReplicaSession s : outcome.completed()) {
            if (s.rdbOnly) {
                s.channel.close(); // once the bytes already queued are out: Netty writes them first
                continue;
            }
            s.state = ReplicaSession.State.ONLINE;
            s.holdUntilAck = true;
            s.ackMillis = System.currentTimeMillis();
            Log.notice("Streamed RDB transfer with replica %s:%d succeeded (socket). Waiting for REPLCONF ACK from "
                    + "replica to enable streaming", s.ip, s.listeningPort);
        }
        for (ReplicaSession s : batch) {
            if (s.state == ReplicaSession.State.WAIT_BGSAVE_END && !s.closed && !outcome.completed().contains(s)) {
                close(s, "the transfer to it failed");
            }
        }
    }

    /** Persistence's BGSAVE finished: disk-based replicas waiting for it get the file. */
    void bgsaveDone(boolean ok, Path file) {
        if (!diskSyncRunning) {
            return;
        }
        diskSyncRunning = false;
        for (ReplicaSession s : new ArrayList<>(sessions)) {
            if (s.state != ReplicaSession.State.WAIT_BGSAVE_END || s.transfer != null) {
                continue; // a diskless replica's snapshot is its own
            }
            if (!ok) {
                close(s, "the BGSAVE for it failed");
                continue;
            }
            sendFile(s, file);
        }
    }

    private void sendFile(ReplicaSession s, Path file) {
        RandomAccessFile raf;
        long size;
        try {
            raf = new RandomAccessFile(file.toFile(), "r");
            size = raf.length();
        } catch (IOException e) {
            Log.warning("SYNC failed. Can't open/stat DB after BGSAVE: %s", e.getMessage());
            close(s, "the RDB file could not be opened");
            return;
        }
        s.state = ReplicaSession.State.SEND_BULK;
        s.writeDirect(("$" + size + "\r\n").getBytes(StandardCharsets.US_ASCII));
        FileChannel ch = raf.getChannel();
        s.channel.writeAndFlush(new DefaultFileRegion(ch, 0, size)).addListener(f ->
                server.main.submit(() -> {
                    if (!f.isSuccess() || s.closed) {
                        return;
                    }
                    if (s.rdbOnly) {
                        s.channel.close();
                        return;
                    }
                    s.state = ReplicaSession.State.ONLINE;
                    s.ackMillis = System.currentTimeMillis();
                    Log.notice("Synchronization with replica %s:%d succeeded", s.ip, s.listeningPort);
                    s.pump(backlog);
                }));
    }

    // ---- events from the replica ----

    /** REPLCONF ACK from a replica: its offset, its liveness, and a held diskless stream released. */
    public void ack(Client c, long offset) {
        ReplicaSession s = c.replicaSession;
        if (s == null) {
            return;
        }
        boolean wasHeld = s.holdUntilAck && s.state == ReplicaSession.State.ONLINE;
        s.ack(offset);
        releaseWaiters();
        if (wasHeld) {
            Log.notice("Synchronization with replica %s:%d succeeded", s.ip, s.listeningPort);
            s.pump(backlog);
        }
    }

    /** The replica's socket closed (or we closed it). */
    void gone(Client c) {
        ReplicaSession s = c.replicaSession;
        if (s == null || !sessions.remove(s)) {
            return;
        }
        s.closed = true;
        Log.notice("Connection with replica %s:%d lost.", s.ip, s.listeningPort);
        resizeBacklog(); // what only this replica still needed beyond repl-backlog-size goes
        leaveTransfer(s);
        if (sessions.isEmpty()) {
            noReplicasSinceMillis = System.currentTimeMillis();
        }
    }

    /** The replica's socket can take more: go on streaming. */
    void writable(Client c) {
        ReplicaSession s = c.replicaSession;
        if (s != null && backlog != null) {
            s.pump(backlog);
        }
    }

    // ---- the stream ----

    /** Whether anything should be fed: only with a backlog (Redis's feedReplicationBuffer returns early). */
    boolean active() {
        return backlog != null;
    }

    /** A top master's own stream bytes (Propagation): into the backlog, and the offset moves. */
    void feed(byte[] bytes) {
        if (backlog == null) {
            return;
        }
        backlog.append(bytes, oldestNeeded());
        repl().masterReplOffset += bytes.length;
    }

    /** A middle node's upstream bytes, applied and counted by Replica: into the backlog as they are. */
    void proxy(byte[] bytes) {
        if (backlog == null) {
            return;
        }
        backlog.append(bytes, oldestNeeded());
    }

    /** After each batch of commands: every streaming replica gets what it is owed (one write each). */
    void pumpAll() {
        // no GETACK while clients are paused: it would move the offset (it goes out once they are not)
        if (getackPending && (getackBeforePause || !server.pause.paused())) {
            getackPending = false;
            getackBeforePause = false;
            server.propagation.feedRaw(GETACK);
        }
        if (backlog == null || sessions.isEmpty()) {
            return;
        }
        ClientOutputBufferLimit limit = server.config.outputBufferLimit("replica");
        long hard = hardLimit(limit);
        long now = System.currentTimeMillis();
        // by index from the end: close() removes a session, and this runs after every batch (no copy)
        for (int i = sessions.size() - 1; i >= 0; i--) {
            ReplicaSession s = sessions.get(i);
            s.pump(backlog);
            // what counts is what the socket did not take: a large write to a replica that keeps up is no excess
            if (s.state != ReplicaSession.State.WAIT_BGSAVE_START
                    && limit.exceeded(s.lag(backlog), hard, s.obufSoftLimit, now)) {
                Log.warning("Client id=%d addr=%s:%d flags=S scheduled to be closed ASAP for overcoming of output "
                        + "buffer limits.", s.clientId, s.ip, s.listeningPort);
                close(s, "output buffer limit");
            }
        }
    }

    /** client-output-buffer-limit replica's hard limit, never below the backlog size (spec 4.10). */
    private long hardLimit(ClientOutputBufferLimit limit) {
        long hard = limit.hardLimitBytes();
        return hard > 0 ? Math.max(hard, configuredBacklogSize()) : 0;
    }

    private long oldestNeeded() {
        long min = Long.MAX_VALUE;
        for (ReplicaSession s : sessions) {
            if (s.state != ReplicaSession.State.WAIT_BGSAVE_START && !s.closed) {
                min = Math.min(min, s.sendOffset);
            }
        }
        return min;
    }

    // ---- WAIT (spec 4.8) ----

    /** A client in WAIT: released when numreplicas replicas have acknowledged its offset, or at its timeout. */
    private final class Waiter extends Blocking.NoKeys {
        final Client client;
        final long offset;
        final long numreplicas;

        Waiter(Client client, long offset, long numreplicas) {
            this.client = client;
            this.offset = offset;
            this.numreplicas = numreplicas;
        }

        @Override
        public void timedOut(RespWriter reply) {
            waiters.remove(this);
            reply.integer(acked(offset));
        }
    }

    /** A replica online that has not acknowledged everything (SHUTDOWN waits for it). */
    boolean lagging() {
        long offset = repl().masterReplOffset;
        for (ReplicaSession s : sessions) {
            if (s.state == ReplicaSession.State.ONLINE && !s.prePsyncSync && s.ackOffset != offset) {
                return true;
            }
        }
        return false;
    }

    /** Asks every replica for its offset now (SHUTDOWN), with the next batch's write, even if a pause follows. */
    void requestGetack() {
        getackPending = true;
        getackBeforePause = !server.pause.paused();
    }

    /** SHUTDOWN's timeout passed: the replicas still behind, as Redis logs them. */
    void logLagging() {
        long now = System.currentTimeMillis();
        long offset = repl().masterReplOffset;
        for (ReplicaSession s : sessions) {
            if (s.state == ReplicaSession.State.ONLINE && s.ackOffset != offset) {
                Log.warning("Lagging replica %s:%d reported offset %d behind master, lag=%d, state=%s.", s.ip,
                        s.listeningPort, offset - s.ackOffset, (now - s.ackMillis) / 1000, s.state.infoName);
            }
        }
    }

    /** Direct replicas online whose ACK has reached offset (sub-replicas of a middle node are not counted). */
    public int acked(long offset) {
        int n = 0;
        for (ReplicaSession s : sessions) {
            if (s.state == ReplicaSession.State.ONLINE && s.ackOffset >= offset) {
                n++;
            }
        }
        return n;
    }

    /** WAIT numreplicas timeout: answered now when already satisfied or inside EXEC, else blocks the client. */
    public void waitFor(CommandContext c, long numreplicas, long timeoutAt) {
        long offset = c.client.woff;
        int acked = acked(offset);
        if (acked >= numreplicas || c.denyBlocking) {
            c.reply.integer(acked);
            return;
        }
        Waiter w = new Waiter(c.client, offset, numreplicas);
        waiters.add(w);
        server.blocking.block(c, List.of(), timeoutAt, w);
        getackPending = true;
    }

    private void releaseWaiters() {
        for (Waiter w : new ArrayList<>(waiters)) {
            if (!server.blocking.isBlocked(w.client)) {
                waiters.remove(w); // timed out, unblocked or gone
                continue;
            }
            int acked = acked(w.offset);
            if (acked >= w.numreplicas) {
                waiters.remove(w);
                server.blocking.release(w.client, r -> r.integer(acked));
            }
        }
    }

    // ---- upstream events on a middle node (spec 5.2) ----

    /** Upstream full sync loaded, a new replid from upstream, or a promotion: every replica must resync. */
    void disconnectAll(String why) {
        if (sessions.isEmpty()) {
            return;
        }
        Log.notice("Disconnecting %d replica(s): %s", sessions.size(), why);
        for (ReplicaSession s : new ArrayList<>(sessions)) {
            close(s, why);
        }
    }

    /** A full sync from upstream was loaded: a new backlog at the adopted offset, every replica resyncs. */
    void upstreamFullSync() {
        disconnectAll("my master sent a new dataset (full resync)");
        createBacklog();
    }

    private void close(ReplicaSession s, String why) {
        if (s.closed) {
            return;
        }
        s.closed = true;
        sessions.remove(s);
        Log.verbose("Closing replica %s:%d: %s", s.ip, s.listeningPort, why);
        Client c = server.clients.get(s.clientId);
        if (c != null) {
            server.clients.kill(c);
        } else {
            s.channel.close();
        }
        leaveTransfer(s);
        if (sessions.isEmpty()) {
            noReplicasSinceMillis = System.currentTimeMillis();
        }
    }

    /** s is gone: the transfer it was part of stops when no replica is left to take it. */
    private void leaveTransfer(ReplicaSession s) {
        SocketRdbSink t = s.transfer;
        if (t != null && t.alive() == 0) {
            server.persistence.abortTransfer(t, "no replica is left to receive it");
        }
    }

    private void fail(ReplicaSession s, String errorLine) {
        s.writeDirect(errorLine.getBytes(StandardCharsets.US_ASCII));
        close(s, errorLine.trim());
    }

    // ---- once a second (replicationCron's master part) ----

    void cron() {
        long now = System.currentTimeMillis();
        if (now - lastCronMillis < 1000) {
            return;
        }
        lastCronMillis = now;
        boolean topMaster = !server.replica.isReplica();
        int period = server.config.getInt("repl-ping-replica-period");
        // as replicationCron: on the loops that are a multiple of the period, so a replica arriving does not
        // trigger one (a test can rely on the offset staying 0 with a long period)
        if (topMaster && backlog != null && !sessions.isEmpty() && cronLoops % period == 0
                && !server.failover.suppressesPings()) {
            server.propagation.feedRaw(PING); // counts in the offset and goes into the backlog (spec 4.11)
        }
        cronLoops++;
        long timeout = server.config.getLong("repl-timeout") * 1000;
        for (ReplicaSession s : new ArrayList<>(sessions)) {
            boolean waiting = s.state == ReplicaSession.State.WAIT_BGSAVE_START
                    || (s.state == ReplicaSession.State.WAIT_BGSAVE_END && s.transfer == null);
            if (waiting) {
                s.writeDirect(NEWLINE); // keeps the replica's read timeout from firing while we prepare
            }
            if (s.state == ReplicaSession.State.ONLINE && !s.prePsyncSync && now - s.ackMillis > timeout) {
                Log.warning("Disconnecting timedout replica (streaming sync): %s:%d", s.ip, s.listeningPort);
                close(s, "timeout");
            }
        }
        for (SocketRdbSink t : new ArrayList<>(transfers)) {
            for (ReplicaSession s : t.stalled(timeout)) {
                Log.warning("Disconnecting timedout replica (full sync): %s:%d", s.ip, s.listeningPort);
                close(s, "timeout during the full sync");
            }
        }
        startDueSnapshot(now);
        long ttl = server.config.getLong("repl-backlog-ttl");
        if (topMaster && backlog != null && sessions.isEmpty() && ttl > 0 && noReplicasSinceMillis > 0
                && now - noReplicasSinceMillis > ttl * 1000) {
            // a new history: nobody can PSYNC with the old one any more
            repl().replid = ReplicationState.randomReplid();
            repl().clearReplid2();
            backlog = null;
            Log.notice("Replication backlog freed after %d seconds without connected replicas.", ttl);
        }
    }

    /**
     * Replicas waiting for a snapshot: disk-based ones get a BGSAVE once none runs, diskless ones a transfer once
     * the longest-waiting has waited repl-diskless-sync-delay (or repl-diskless-sync-max-replicas are there).
     */
    private void startDueSnapshot(long now) {
        if (!server.persistence.bgsaveInProgress() && !waiting(false).isEmpty()) {
            startSnapshot(false);
        }
        List<ReplicaSession> diskless = waiting(true);
        if (diskless.isEmpty()) {
            return;
        }
        long longest = 0;
        for (ReplicaSession s : diskless) {
            longest = Math.max(longest, (now - s.waitingSinceMillis) / 1000);
        }
        int max = server.config.getInt("repl-diskless-sync-max-replicas");
        if (longest >= server.config.getInt("repl-diskless-sync-delay") || (max > 0 && diskless.size() >= max)) {
            startSnapshot(true);
        }
    }

    // ---- what INFO and ROLE show ----

    /** replicationGetSlaveName: ip:listening-port once known, else the client's id. */
    public static String name(Client c) {
        String ip = c.replIpAddress != null ? c.replIpAddress : peerIp(c);
        return c.replListeningPort > 0 ? ip + ":" + c.replListeningPort : "client id #" + c.id;
    }

    static String peerIp(Client c) {
        String addr = c.addr;
        int colon = addr.lastIndexOf(':');
        return colon > 0 ? addr.substring(0, colon) : addr;
    }

    /** Replicas that are online (WAIT counts them; INFO connected_slaves counts all). */
    public int goodReplicas(long maxLagSeconds) {
        long now = System.currentTimeMillis();
        int n = 0;
        for (ReplicaSession s : sessions) {
            if (s.state == ReplicaSession.State.ONLINE && (now - s.ackMillis) / 1000 <= maxLagSeconds) {
                n++;
            }
        }
        return n;
    }
}
