package io.cascade.server;

import io.cascade.conf.Log;
import io.cascade.storage.Databases;
import io.cascade.storage.Snapshot;
import io.cascade.storage.rdb.RdbFileSink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The snapshots in progress, where Redis has at most one RDB child: a BGSAVE's file and any number of diskless
 * transfers to batches of replicas, each begun at its own moment and held back by its own sink. They are
 * stepped in turn between commands, so a slow replica's socket delays neither the file nor a faster batch.
 * Command thread only.
 */
final class Snapshots {
    /** Time given to one step of a background save before commands run again, while no client is active. */
    private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /**
     * The step while clients are active (commands ran in the last few ms): a client waiting for each reply gets
     * one per step, so the step bounds its latency; the snapshot still takes what the clients leave.
     */
    private static final long BUSY_STEP_NANOS = TimeUnit.MICROSECONDS.toNanos(250);
    private static final long BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long PROGRESS_LOG_MILLIS = 5000;

    /** One snapshot in progress and what it is for. */
    static final class Job {
        final Snapshot snapshot;
        final Snapshot.Sink sink;
        /** The BGSAVE's file, or null for a transfer to replicas' sockets. */
        final RdbFileSink file;
        final long startMillis = System.currentTimeMillis();
        private long lastLogMillis = startMillis;

        private Job(Snapshot snapshot, Snapshot.Sink sink, RdbFileSink file) {
            this.snapshot = snapshot;
            this.sink = sink;
            this.file = file;
        }
    }

    private final List<Job> jobs = new ArrayList<>();
    private final CommandThread main;
    /** Which job steps first next time: each gets the first turn in rotation. */
    private int turn;

    Snapshots(CommandThread main) {
        this.main = main;
    }

    /** Begins a snapshot of the dataset as it is now into sink (file: the BGSAVE's, or null). */
    Job start(Databases databases, Snapshot.Options options, Snapshot.Sink sink, RdbFileSink file) {
        Job j = new Job(new Snapshot(databases, options, sink), sink, file);
        jobs.add(j);
        return j;
    }

    /** The BGSAVE in progress (its image may be complete and its file still being written), or null. */
    Job file() {
        for (Job j : jobs) {
            if (j.file != null) {
                return j;
            }
        }
        return null;
    }

    /** The job writing into sink, or null once it has ended. */
    Job of(Snapshot.Sink sink) {
        for (Job j : jobs) {
            if (j.sink == sink) {
                return j;
            }
        }
        return null;
    }

    /** What INFO's current_* fields describe: the BGSAVE, else the oldest transfer; null when none runs. */
    Job shown() {
        Job f = file();
        return f != null ? f : jobs.isEmpty() ? null : jobs.get(0);
    }

    boolean any() {
        return !jobs.isEmpty();
    }

    List<Job> all() {
        return new ArrayList<>(jobs);
    }

    /** The job ended (its file is written, its transfer is out) or is given up: it is no longer stepped. */
    void remove(Job j) {
        jobs.remove(j);
    }

    /** Makes every image complete now (their sinks go on writing): before a load replaces what they read. */
    void completeAll() {
        for (Job j : all()) {
            j.snapshot.finish();
        }
    }

    /**
     * One step of each job whose sink can take more, the first turn rotating. Returns how long the command
     * thread may wait for commands before calling again: 0 to go on at once, a little while every sink catches
     * up, or Long.MAX_VALUE when no image is left to make.
     */
    long step() {
        if (jobs.isEmpty()) {
            return Long.MAX_VALUE;
        }
        boolean busy = System.nanoTime() - main.lastBatchNanos() < BUSY_NANOS;
        // the clients' share of the thread is one budget per round, whatever the number of snapshots
        long budget = (busy ? BUSY_STEP_NANOS : STEP_NANOS) / jobs.size();
        List<Job> round = all(); // a transfer that ends inside its step removes itself
        boolean pending = false;
        boolean progressed = false;
        for (int i = 0; i < round.size() && !(progressed && main.tasksWaiting()); i++) {
            Job j = round.get((turn + i) % round.size());
            if (j.snapshot.isDone()) {
                continue; // its file's writer finishes it; bgsaveDone follows
            }
            long before = j.snapshot.keysSaved();
            if (j.snapshot.step(budget, main::tasksWaiting)) {
                progressed = true;
                continue;
            }
            pending = true;
            progressed |= j.snapshot.keysSaved() > before;
            logProgress(j);
        }
        turn++;
        if (progressed) {
            return 0;
        }
        return pending ? TimeUnit.MILLISECONDS.toNanos(1) : Long.MAX_VALUE;
    }

    private static void logProgress(Job j) {
        long now = System.currentTimeMillis();
        if (now - j.lastLogMillis < PROGRESS_LOG_MILLIS) {
            return;
        }
        j.lastLogMillis = now;
        Snapshot s = j.snapshot;
        Log.notice("Background saving: %d of %d keys (%.0f%%)%s", s.keysSaved(), s.keysTotal(),
                100.0 * s.keysSaved() / Math.max(1, s.keysTotal()),
                j.file == null ? " for replicas" : ", " + (j.file.written() >> 20) + " MB written");
    }
}
