package io.cascade.server;

import io.cascade.conf.CStrings;
import io.cascade.conf.Log;
import io.cascade.conf.SaveRule;
import io.cascade.storage.AccessClock;
import io.cascade.storage.Keyspace;
import io.cascade.storage.Snapshot;
import io.cascade.storage.rdb.RdbFileSink;
import io.cascade.storage.rdb.RdbFormatException;
import io.cascade.storage.rdb.RdbLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * RDB persistence as Redis's rdb.c and serverCron run it: loading at startup and for DEBUG RELOAD, SAVE,
 * BGSAVE (a Snapshot stepped between commands instead of a forked child; Snapshots runs it beside replicas'
 * transfers), the save rules, the outcome counters INFO shows, and the final save at shutdown. Command thread only (the startup load runs before it
 * starts), except where noted.
 */
public final class Persistence {
    /** CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE the save rules wait this long before trying again. */
    private static final long BGSAVE_RETRY_DELAY_SECONDS = 5;

    private final Server server;
    /** The BGSAVE and the replicas' transfers in progress. */
    private final Snapshots snapshots;
    private long bgsaveCount;
    private long dirtyBeforeBgsave;
    private long lastBgsaveTrySeconds;
    public long lastSaveSeconds;
    public boolean lastBgsaveOk = true;
    /** Seconds the last background save took, -1 before the first. */
    public long lastBgsaveSeconds = -1;
    public long saves;
    /** BGSAVE SCHEDULE, or BGSAVE inside MULTI: started by the cron when nothing else is saving. */
    public boolean bgsaveScheduled;
    public long lastLoadKeysLoaded;
    public long lastLoadKeysExpired;
    /** True while the startup load runs: commands without the loading flag get -LOADING. */
    public volatile boolean loading;
    /** True during the startup load only (a replica connects to its master after it). */
    public volatile boolean startupLoad;
    /** Progress of the load in progress, for INFO's loading_* fields. */
    public long loadingStartSeconds;
    public long loadingTotalBytes;
    public long loadingLoadedBytes;
    /**
     * The replication position saved in the RDB loaded at startup (repl-id, repl-offset, repl-stream-db), or
     * null: a restarted replica offers it to its master for a partial resync.
     */
    public String loadedReplId;
    public long loadedReplOffset = -1;
    public int loadedReplStreamDb = -1;

    Persistence(Server server) {
        this.server = server;
        this.snapshots = new Snapshots(server.main);
        this.lastSaveSeconds = server.startMillis / 1000;
    }

    /** A BGSAVE to the RDB file is in progress (replicas' transfers do not count: they run beside it). */
    public boolean bgsaveInProgress() {
        return snapshots.file() != null;
    }

    /** Any snapshot is in progress, a BGSAVE or a transfer: INFO's rdb_bgsave_in_progress, as Redis's RDB child. */
    public boolean snapshotInProgress() {
        return snapshots.any();
    }

    /** Seconds the current background save (else the oldest transfer) has run, -1 when none runs. */
    public long currentBgsaveSeconds() {
        Snapshots.Job j = snapshots.shown();
        return j == null ? -1 : (System.currentTimeMillis() - j.startMillis) / 1000;
    }

    public long keysProcessed() {
        Snapshots.Job j = snapshots.shown();
        return j == null ? 0 : j.snapshot.keysSaved();
    }

    public long keysTotal() {
        Snapshots.Job j = snapshots.shown();
        return j == null ? 0 : j.snapshot.keysTotal();
    }

    /** The file SAVE and BGSAVE write and the server loads at startup. */
    public Path rdbPath() {
        return server.config.dir().resolve(server.config.getString("dbfilename"));
    }

    /** stop-writes-on-bgsave-error: writes (and PING) are refused with MISCONF after a failed save. */
    public boolean writesDenied() {
        return !lastBgsaveOk && server.config.getBool("stop-writes-on-bgsave-error")
                && !server.config.saveRules().isEmpty();
    }

    /** SAVE (and SHUTDOWN, FLUSHALL, DEBUG RELOAD): the whole image written now, waiting for the disk. */
    public boolean save() {
        saves++;
        RdbFileSink out;
        try {
            // the snapshots in progress go on beside this one: each guards the keyspaces for itself
            out = openSink("temp-" + ProcessHandle.current().pid() + ".rdb");
        } catch (IOException e) {
            return false;
        }
        Snapshot s = new Snapshot(server.databases, options(), out);
        s.finish();
        try {
            out.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Log.warning("Write error saving DB on disk: interrupted");
            return false;
        } catch (ExecutionException e) {
            Log.warning("Write error saving DB on disk: %s", reason(e.getCause()));
            return false;
        }
        Log.notice("DB saved on disk");
        server.dirty = 0;
        lastSaveSeconds = System.currentTimeMillis() / 1000;
        lastBgsaveOk = true;
        return true;
    }

    /** rdbSaveBackground: starts a background save; false (logged) when its file cannot be opened. */
    public boolean bgsave() {
        lastBgsaveTrySeconds = System.currentTimeMillis() / 1000;
        saves++;
        RdbFileSink file;
        try {
            // a name of its own, as Redis's temp-<child pid>.rdb: an aborted save's writer may still be
            // removing its file when the next one starts
            file = openSink("temp-" + ProcessHandle.current().pid() + "-" + (++bgsaveCount) + ".rdb");
        } catch (IOException e) {
            lastBgsaveOk = false;
            return false;
        }
        dirtyBeforeBgsave = server.dirty;
        Snapshots.Job j = snapshots.start(server.databases, options(), file, file);
        Log.notice("Background saving started (%d keys, a partition at a time between commands)",
                j.snapshot.keysTotal());
        // the sink completes on its writer thread; the outcome is handled on the command thread
        file.done().whenComplete((size, error) -> server.main.submit(() -> bgsaveDone(j, error)));
        return true;
    }

    /**
     * A snapshot of the dataset as it is now for a batch of replicas' sockets (a diskless full sync). It runs
     * beside a BGSAVE and other transfers and steps the same way; the sink reports its end (transferEnded).
     */
    void transferTo(Snapshot.Sink replicas) {
        Snapshots.Job j = snapshots.start(server.databases, options(), replicas, null);
        Log.notice("Background RDB transfer started (%d keys, a partition at a time between commands)",
                j.snapshot.keysTotal());
    }

    /** The replicas' snapshot is out (or was aborted). */
    void transferEnded(Snapshot.Sink replicas) {
        Snapshots.Job j = snapshots.of(replicas);
        if (j != null) {
            snapshots.remove(j);
        }
    }

    /** Gives up the transfer into replicas (no replica is left to take it); its sink reports the end. */
    void abortTransfer(Snapshot.Sink replicas, String why) {
        Snapshots.Job j = snapshots.of(replicas);
        if (j != null) {
            Log.warning("Background RDB transfer aborted: %s", why);
            snapshots.remove(j);
            j.snapshot.abort();
        }
    }

    /**
     * The command thread's background work: a step of each snapshot in progress. Returns how long the thread
     * may wait for commands before calling again (Snapshots.step).
     */
    long step() {
        return snapshots.step();
    }

    private void bgsaveDone(Snapshots.Job finished, Throwable error) {
        if (snapshots.file() != finished) {
            return; // an aborted save whose writer stopped after a new one began
        }
        long elapsed = System.currentTimeMillis() - finished.startMillis;
        snapshots.remove(finished);
        lastBgsaveSeconds = elapsed / 1000;
        if (error == null) {
            Log.notice("DB saved on disk");
            Log.notice("Background saving terminated with success");
            server.dirty -= dirtyBeforeBgsave;
            lastSaveSeconds = System.currentTimeMillis() / 1000;
            lastBgsaveOk = true;
        } else {
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            Log.warning("Write error saving DB on disk: %s", reason(cause));
            Log.warning("Background saving error");
            lastBgsaveOk = false;
        }
        server.downstream.bgsaveDone(error == null, rdbPath());
    }

    /**
     * Makes the images of the snapshots in progress complete now (their sinks go on writing them out): before
     * a load replaces what they still have to read.
     */
    void completeImages() {
        snapshots.completeAll();
    }

    /**
     * loadDataFromDisk: the RDB file, if there is one, into the (empty) dataset before clients are served.
     * False, after logging why, when the file is there but cannot be loaded: Redis exits then.
     */
    boolean loadAtStartup() {
        Path file = rdbPath();
        if (!Files.exists(file)) {
            loading = false;
            return true;
        }
        long start = System.nanoTime();
        loading = true;
        startupLoad = true;
        try {
            // a replica keeps keys past their time: its master's DELs will come
            List<Object[]> expired = new ArrayList<>();
            RdbLoader.Result r = load(file, server.config.replicaof() == null, false, true,
                    (db, key) -> expired.add(new Object[] {db, key}));
            Log.notice("DB loaded from disk: %.3f seconds", (System.nanoTime() - start) / 1e9);
            loadedReplId = r.replId();
            loadedReplOffset = r.replOffset();
            loadedReplStreamDb = r.replStreamDb();
            if (loadedReplId != null && loadedReplOffset >= 0) {
                Log.notice("RDB replication position: replid %s, offset %d", loadedReplId, loadedReplOffset);
                server.replica.restorePosition(loadedReplId, loadedReplOffset, loadedReplStreamDb);
                // a master that keeps its position tells its replicas of the keys that expired while it was
                // down, as Redis's load feeds their DELs into the backlog (spec 6.3)
                byte[] del = server.propagation.expiredDelete();
                for (Object[] e : expired) {
                    server.propagation.also((Integer) e[0], del, (byte[]) e[1]);
                }
            }
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            Log.warning("Fatal error loading the DB: %s. Exiting.", e.getMessage());
        } catch (RdbFormatException e) {
            Log.warning("Internal error in RDB reading: %s", e.getMessage());
            Log.warning("Terminating server after rdb file reading failure.");
        } finally {
            loading = false;
            startupLoad = false;
        }
        return false;
    }

    /**
     * rdbLoad into the current dataset (empty, or merged into by DEBUG RELOAD NOFLUSH MERGE), with Redis's log
     * lines and a progress line every few seconds for large files.
     */
    /**
     * merge: a key already in the dataset is replaced (RDBFLAGS_ALLOW_DUP), else it is an error. serve: the
     * clients' waiting requests are run every 2 MB or 100 ms (the startup load, when no client is in the middle
     * of a command; DEBUG RELOAD blocks, as a long command does).
     */
    RdbLoader.Result load(Path file, boolean dropExpired, boolean merge, boolean serve) throws IOException {
        return load(file, dropExpired, merge, serve, null);
    }

    private RdbLoader.Result load(Path file, boolean dropExpired, boolean merge, boolean serve,
                                  RdbLoader.ExpiredHook expired) throws IOException {
        long size = Files.size(file);
        long start = System.nanoTime();
        loadingStartSeconds = System.currentTimeMillis() / 1000;
        loadingTotalBytes = size;
        loadingLoadedBytes = 0;
        long[] lastLog = {start};
        RdbLoader.Options o = new RdbLoader.Options().dropExpired(dropExpired).allowDuplicates(merge)
                .verifyChecksum(server.config.getBool("rdbchecksum"))
                .warnings(w -> Log.warning("%s", w))
                .keyHook((db, key, idle, freq) -> db.setLruOrLfu(key, freq, idle))
                .expiredHook(expired)
                .progress((bytes, keys) -> {
                    loadingLoadedBytes = bytes;
                    long now = System.nanoTime();
                    if (now - lastLog[0] >= 5_000_000_000L) {
                        lastLog[0] = now;
                        double secs = (now - start) / 1e9;
                        Log.notice("Loading RDB: %d of %d MB (%.0f%%), %d keys, %.0f keys/s", bytes >> 20, size >> 20,
                                size == 0 ? 100.0 : 100.0 * bytes / size, keys, keys / secs);
                    }
                    if (serve) {
                        server.main.runPending();
                    }
                }, 2L << 20, 100);
        RdbLoader.Result r = RdbLoader.load(file, server.databases, o);
        // the file's libraries replace the functions, as the dataset is replaced
        server.functions.replaceAll(r.functions());
        String ver = r.auxString("redis-ver");
        if (ver != null) {
            Log.notice("Loading RDB produced by version %s", ver);
        }
        String ctime = r.auxString("ctime");
        if (ctime != null) {
            Log.notice("RDB age %d seconds", System.currentTimeMillis() / 1000 - parseLong(ctime));
        }
        String mem = r.auxString("used-mem");
        if (mem != null) {
            Log.notice("RDB memory usage when created %.2f Mb", parseLong(mem) / (1024.0 * 1024));
        }
        if (r.aofBase()) {
            Log.notice("RDB is base AOF");
        }
        double secs = (System.nanoTime() - start) / 1e9;
        Log.notice("Done loading RDB, keys loaded: %d, keys expired: %d.", r.keysLoaded(), r.keysExpired());
        if (secs >= 1) {
            Log.notice("Loaded %d keys in %.3f seconds: %.0f keys/s, %.1f MB/s", r.keysLoaded(), secs,
                    r.keysLoaded() / secs, size / secs / (1 << 20));
        }
        lastLoadKeysLoaded = r.keysLoaded();
        lastLoadKeysExpired = r.keysExpired();
        return r;
    }

    /**
     * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save (unless NOSAVE), empty the dataset (unless NOFLUSH), load
     * the file back. Returns null when done, else the error to reply.
     */
    public String debugReload(boolean merge, boolean flush, boolean save) {
        if (save && !save()) {
            return "ERR";
        }
        completeImages(); // their images must be whole before the keys they have yet to read go
        if (flush) {
            for (int i = 0; i < server.databases.count(); i++) {
                server.databases.db(i).clear();
            }
        }
        try {
            load(rdbPath(), true, merge, false);
        } catch (IOException | RdbFormatException e) {
            Log.warning("Error loading the RDB for DEBUG RELOAD: %s", e.getMessage());
            return "ERR Error trying to load the RDB dump";
        }
        Log.warning("DB reloaded by DEBUG RELOAD");
        return null;
    }

    /** strerror's words for a file error, as Redis logs them. */
    private static String reason(Throwable t) {
        return t instanceof IOException e ? CStrings.strerror(e) : String.valueOf(t.getMessage());
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Stops every snapshot in progress (FLUSHALL, SHUTDOWN, a load that replaces the dataset): a BGSAVE's file
     * is dropped, the replicas of a transfer are disconnected, as when Redis kills its RDB child.
     */
    public void abortSnapshots(String why) {
        for (Snapshots.Job j : snapshots.all()) {
            snapshots.remove(j);
            if (j.file == null) {
                Log.warning("Background RDB transfer aborted: %s", why);
                j.snapshot.abort();
                continue;
            }
            Log.warning("Background saving aborted: %s", why);
            j.snapshot.abort();
            server.downstream.bgsaveDone(false, rdbPath());
            // Redis kills its child with SIGUSR1 here, which does not count as a failed save
        }
    }

    /** serverCron's part: a scheduled BGSAVE, then the save rules ("N changes in M seconds"). */
    void cron() {
        if (bgsaveInProgress()) {
            return; // replicas' transfers do not hold the save rules back: they run beside a BGSAVE
        }
        long now = System.currentTimeMillis() / 1000;
        if (bgsaveScheduled) {
            bgsaveScheduled = false;
            bgsave();
            return;
        }
        for (SaveRule rule : server.config.saveRules()) {
            if (server.dirty >= rule.changes() && now - lastSaveSeconds > rule.seconds()
                    && (now - lastBgsaveTrySeconds > BGSAVE_RETRY_DELAY_SECONDS || lastBgsaveOk)) {
                Log.notice("%d changes in %d seconds. Saving...", rule.changes(), rule.seconds());
                bgsave();
                return;
            }
        }
    }

    /** prepareForShutdown's save: a background save in progress is given up, then a final synchronous one. */
    boolean saveBeforeExit() {
        if (snapshotInProgress()) {
            Log.warning("There is a background save in progress. Stopping it!");
            abortSnapshots("shutdown");
        }
        Log.notice("Saving the final RDB snapshot before exiting.");
        if (!save()) {
            Log.warning("Error trying to save the DB, can't exit.");
            return false;
        }
        return true;
    }

    private RdbFileSink openSink(String tempName) throws IOException {
        Path dir = server.config.dir();
        try {
            return new RdbFileSink(dir.resolve(tempName), rdbPath(), server.config.getBool("rdbchecksum"),
                    server.config.getBool("rdb-save-incremental-fsync"));
        } catch (IOException e) {
            Log.warning("Failed opening the temp RDB file %s (in server root dir %s) for saving: %s", tempName,
                    dir, CStrings.strerror(e));
            throw e;
        }
    }

    /** The AUX fields Redis 7.0 writes (rdbSaveInfoAuxFields), the replication ones always: a restart resumes. */
    Snapshot.Options options() {
        Snapshot.Options o = new Snapshot.Options();
        o.compression = server.config.getBool("rdbcompression");
        o.keySaveDelayMicros = server.config.getLong("rdb-key-save-delay");
        o.aux.put("redis-ver", Server.REDIS_VERSION);
        o.aux.put("redis-bits", "64");
        o.aux.put("ctime", Long.toString(System.currentTimeMillis() / 1000));
        o.aux.put("used-mem", Long.toString(server.usedMemory.used()));
        // a replica writes the db its master's stream has selected: no SELECT will follow to correct it
        o.aux.put("repl-stream-db", Integer.toString(server.replica.streamDb()));
        o.aux.put("repl-id", server.replica.repl.replid);
        o.aux.put("repl-offset", Long.toString(server.replica.repl.masterReplOffset));
        o.aux.put("aof-base", "0");
        o.functions.addAll(server.functions.codes());
        // the access field goes into the file only under the policy that uses it, as rdbSaveKeyValuePair does
        if (AccessClock.lru()) {
            o.idle = Keyspace::idleSeconds;
        } else if (AccessClock.lfu()) {
            o.freq = Keyspace::lfuFreq;
        }
        return o;
    }
}
