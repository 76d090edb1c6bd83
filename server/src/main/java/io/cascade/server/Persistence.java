package io.cascade.server;

import io.cascade.conf.Log;
import io.cascade.conf.SaveRule;
import io.cascade.storage.Snapshot;
import io.cascade.storage.rdb.RdbFileSink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * RDB persistence as Redis's rdb.c and serverCron run it: SAVE, BGSAVE (a Snapshot stepped between commands
 * instead of a forked child), the save rules, the outcome counters INFO shows, and the final save at
 * shutdown. Command thread only, except where noted.
 */
public final class Persistence {
    /** CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE the save rules wait this long before trying again. */
    private static final long BGSAVE_RETRY_DELAY_SECONDS = 5;
    /** Time given to one step of a background save before commands run again. */
    private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Server server;
    private Snapshot snapshot;
    private RdbFileSink sink;
    private long bgsaveStartMillis;
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

    Persistence(Server server) {
        this.server = server;
        this.lastSaveSeconds = server.startMillis / 1000;
    }

    public boolean bgsaveInProgress() {
        return snapshot != null;
    }

    /** Seconds the current background save has run, -1 when none runs. */
    public long currentBgsaveSeconds() {
        return snapshot == null ? -1 : (System.currentTimeMillis() - bgsaveStartMillis) / 1000;
    }

    public long keysProcessed() {
        return snapshot == null ? 0 : snapshot.keysSaved();
    }

    public long keysTotal() {
        return snapshot == null ? 0 : snapshot.keysTotal();
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

    /** SAVE (and SHUTDOWN, FLUSHALL): the whole image written now, the command thread waiting for the disk. */
    public boolean save() {
        saves++;
        RdbFileSink out;
        try {
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
            Log.warning("Write error saving DB on disk: %s", e.getCause().getMessage());
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
        try {
            sink = openSink("temp-bg-" + ProcessHandle.current().pid() + ".rdb");
        } catch (IOException e) {
            lastBgsaveOk = false;
            return false;
        }
        dirtyBeforeBgsave = server.dirty;
        bgsaveStartMillis = System.currentTimeMillis();
        snapshot = new Snapshot(server.databases, options(), sink);
        Log.notice("Background saving started (%d keys, a partition at a time between commands)",
                snapshot.keysTotal());
        RdbFileSink mine = sink;
        // the sink completes on its writer thread; the outcome is handled on the command thread
        sink.done().whenComplete((size, error) -> server.main.submit(() -> bgsaveDone(mine, error)));
        return true;
    }

    /**
     * The command thread's background work: one step of the save in progress. Returns how long the thread may
     * wait for commands before calling again: 0 to go on at once, a little while the disk catches up, or
     * Long.MAX_VALUE when nothing is being saved.
     */
    long step() {
        if (snapshot == null || snapshot.isDone()) {
            return Long.MAX_VALUE;
        }
        long before = snapshot.keysSaved();
        if (snapshot.step(STEP_NANOS)) {
            return Long.MAX_VALUE; // the rest is the writer's; bgsaveDone follows
        }
        return snapshot.keysSaved() > before ? 0 : TimeUnit.MILLISECONDS.toNanos(1);
    }

    private void bgsaveDone(RdbFileSink finished, Throwable error) {
        if (finished != sink) {
            return; // an aborted save whose writer stopped after a new one began
        }
        long elapsed = System.currentTimeMillis() - bgsaveStartMillis;
        snapshot = null;
        sink = null;
        lastBgsaveSeconds = elapsed / 1000;
        if (error == null) {
            Log.notice("DB saved on disk");
            Log.notice("Background saving terminated with success");
            server.dirty -= dirtyBeforeBgsave;
            lastSaveSeconds = System.currentTimeMillis() / 1000;
            lastBgsaveOk = true;
        } else {
            Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
            Log.warning("Write error saving DB on disk: %s", cause.getMessage());
            Log.warning("Background saving error");
            lastBgsaveOk = false;
        }
    }

    /** Stops a background save (FLUSHALL, SHUTDOWN, a load that replaces the dataset); its file is dropped. */
    public void abortBgsave(String why) {
        if (snapshot == null) {
            return;
        }
        Log.warning("Background saving aborted: %s", why);
        snapshot.abort();
        snapshot = null;
        sink = null;
        // Redis kills its child with SIGUSR1 here, which does not count as a failed save
    }

    /** serverCron's part: a scheduled BGSAVE, then the save rules ("N changes in M seconds"). */
    void cron() {
        if (snapshot != null) {
            return;
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
        if (snapshot != null) {
            Log.warning("There is a background save in progress. Stopping it!");
            abortBgsave("shutdown");
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
            return new RdbFileSink(dir.resolve(tempName), rdbPath(), server.config.getBool("rdbchecksum"));
        } catch (IOException e) {
            Log.warning("Failed opening the temp RDB file %s (in server root dir %s) for saving: %s", tempName,
                    dir, e.getMessage());
            throw e;
        }
    }

    /** The AUX fields Redis 7.0 writes (rdbSaveInfoAuxFields), the replication ones always: a restart resumes. */
    private Snapshot.Options options() {
        Snapshot.Options o = new Snapshot.Options();
        o.compression = server.config.getBool("rdbcompression");
        o.keySaveDelayMicros = server.config.getLong("rdb-key-save-delay");
        o.aux.put("redis-ver", Server.REDIS_VERSION);
        o.aux.put("redis-bits", "64");
        o.aux.put("ctime", Long.toString(System.currentTimeMillis() / 1000));
        Runtime rt = Runtime.getRuntime();
        o.aux.put("used-mem", Long.toString(rt.totalMemory() - rt.freeMemory()));
        o.aux.put("repl-stream-db", "0");
        o.aux.put("repl-id", server.replid);
        o.aux.put("repl-offset", Long.toString(server.masterReplOffset));
        o.aux.put("aof-base", "0");
        return o;
    }

    /** Waits for a save submitted to the command thread (the signal handler's final save). */
    static boolean await(java.util.concurrent.CompletableFuture<Boolean> f) {
        try {
            return f.get(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
