package io.cascade.server;

import io.cascade.conf.Log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The one thread that owns the dataset, the clients' command state and (later) the replication offset and
 * backlog, like Redis's main thread. I/O threads submit tasks; it runs them in arrival order, flushes the
 * replies once per batch and runs the periodic cron {@code hz} times a second.
 */
public final class CommandThread {
    /** Tasks run back to back before replies are flushed; bounds latency under a flood. */
    private static final int MAX_BATCH = 1024;

    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Runnable afterBatch;
    private final Runnable cron;
    private volatile int hz;
    private volatile boolean running = true;
    /** System.nanoTime() when the last batch of tasks began (this thread only). */
    private long lastBatchNanos;
    /** Work done between batches (a background save's steps); returns how long the loop may then wait. */
    private LongSupplier background = () -> Long.MAX_VALUE;

    private static final long COMMAND_THREAD_STACK = 64L << 20;

    public CommandThread(Runnable afterBatch, Runnable cron, int hz) {
        this.afterBatch = afterBatch;
        this.cron = cron;
        this.hz = hz;
        // a deep stack: converting a script's nested reply recurses once per level until Lua's own stack limit
        // (about 8000 slots) answers "reached lua stack limit", as Redis does; 1 MB overflows first
        this.thread = new Thread(null, this::loop, "cascade-main", COMMAND_THREAD_STACK);
    }

    public void start() {
        thread.start();
    }

    /** Set before start. */
    public void setBackgroundWork(LongSupplier work) {
        this.background = work;
    }

    public void setHz(int hz) {
        this.hz = hz;
    }

    public void submit(Runnable task) {
        queue.add(task);
    }

    /**
     * From inside a long task on this thread (the startup load): runs the tasks waiting now and flushes their
     * replies, as Redis's processEventsWhileBlocked, so that clients get their -LOADING answers meanwhile.
     */
    public void runPending() {
        // first what is left of the batch being run (the running task is its current one): a client's request
        // that came in the same batch as the long task must be answered too
        List<Runnable> current = batch;
        while (current != null && batchPos < current.size()) {
            runSafely(current.get(batchPos++));
        }
        List<Runnable> more = new ArrayList<>();
        queue.drainTo(more, MAX_BATCH);
        for (Runnable task : more) {
            runSafely(task);
        }
        runSafely(afterBatch);
    }

    /** When the last batch of tasks began (System.nanoTime()); for work on this thread that yields to clients. */
    public long lastBatchNanos() {
        return lastBatchNanos;
    }

    /** Tasks (clients' requests among them) are queued: background work should give the thread back now. */
    public boolean tasksWaiting() {
        return !queue.isEmpty();
    }

    /** False before start and after the thread stopped. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    public boolean inThread() {
        return Thread.currentThread() == thread;
    }

    /** Stops after the current batch; the remaining tasks are dropped (used at shutdown). */
    public void stop() {
        running = false;
        queue.add(() -> { });
    }

    public void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    /** The batch being run and the index of the next task to run in it (runPending may run the rest). */
    private List<Runnable> batch;
    private int batchPos;

    private void loop() {
        List<Runnable> batch = new ArrayList<>(MAX_BATCH);
        long nextCron = System.nanoTime();
        long backgroundWait = Long.MAX_VALUE;
        while (running) {
            try {
                long wait = Math.min(nextCron - System.nanoTime(), backgroundWait);
                Runnable first = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                if (first != null) {
                    lastBatchNanos = System.nanoTime();
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    this.batch = batch;
                    batchPos = 0;
                    while (batchPos < batch.size()) {
                        runSafely(batch.get(batchPos++));
                    }
                    this.batch = null;
                    batch.clear();
                    runSafely(afterBatch);
                }
                backgroundWait = runBackground();
                if (System.nanoTime() - nextCron >= 0) {
                    runSafely(cron);
                    runSafely(afterBatch);
                    nextCron = System.nanoTime() + TimeUnit.SECONDS.toNanos(1) / Math.max(1, hz);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private long runBackground() {
        try {
            return background.getAsLong();
        } catch (RuntimeException | Error e) {
            Log.warning("Unexpected error in background work on the command thread: %s", e);
            return Long.MAX_VALUE;
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            // a bug in one command must not kill the server's only command thread
            Log.warning("Unexpected error on the command thread: %s", e);
            for (StackTraceElement el : e.getStackTrace()) {
                Log.verbose("    at %s", el);
            }
        }
    }
}
