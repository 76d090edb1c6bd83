package io.cascade.server;

import io.cascade.conf.Log;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ManualIoEventLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The one thread that owns the dataset, the clients' command state, the replication offset and the backlog,
 * like Redis's main thread. I/O threads submit tasks; it runs them in arrival order, flushes the replies once
 * per batch and runs the periodic cron {@code hz} times a second. It is also an event loop of its own
 * ({@link #eventLoop()}): the replication sockets are registered there (the link to the master, and each
 * replica's connection once its SYNC/PSYNC is accepted), so the master's stream is read, applied and passed on
 * to the sub-replicas on this one thread, as Redis does, instead of waiting for two thread hand-offs (each a
 * wake-up, late on a busy machine) between the upstream socket and the downstream ones.
 */
public final class CommandThread {
    /** Tasks run back to back before replies are flushed; bounds latency under a flood. */
    private static final int MAX_BATCH = 1024;

    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    /** The I/O of the channels registered on this thread; it blocks in epoll while neither I/O nor tasks wait. */
    private final ManualIoEventLoop io;
    private final Runnable afterBatch;
    private final Runnable cron;
    private volatile int hz;
    private volatile boolean running = true;
    /** System.nanoTime() when the last batch of tasks began (this thread only). */
    private long lastBatchNanos;
    /** A task ran from the I/O pass (runHere): its replies and stream bytes are still to flush (this thread only). */
    private boolean ranHere;
    /** Work done between batches (a background save's steps); returns how long the loop may then wait. */
    private LongSupplier background = () -> Long.MAX_VALUE;

    private static final long COMMAND_THREAD_STACK = 64L << 20;

    public CommandThread(Runnable afterBatch, Runnable cron, int hz, IoHandlerFactory ioFactory) {
        this.afterBatch = afterBatch;
        this.cron = cron;
        this.hz = hz;
        // a deep stack: converting a script's nested reply recurses once per level until Lua's own stack limit
        // (about 8000 slots) answers "reached lua stack limit", as Redis does; 1 MB overflows first
        this.thread = new Thread(null, this::loop, "cascade-main", COMMAND_THREAD_STACK);
        this.io = new ManualIoEventLoop(thread, ioFactory) {
            @Override
            protected boolean canBlock() {
                // checked by the I/O handler after it armed its wake-up: a task submitted before that is seen
                // here, one submitted after it wakes the epoll wait (submit's wakeup)
                return queue.isEmpty() && running;
            }
        };
    }

    /** The event loop this thread drives, for channels whose I/O belongs on the command thread. */
    public EventLoop eventLoop() {
        return io;
    }

    /**
     * Moves a channel's I/O from its I/O thread to this thread's event loop, then runs {@code then} as a task
     * here. The channel must have nothing in flight: it is off every event loop meanwhile (what arrives waits in
     * the kernel). A replica's channel comes here so that the stream goes out with no hand-off.
     */
    public void adopt(Channel ch, Runnable then) {
        ch.deregister().addListener(off -> io.register(ch).addListener(on -> {
            if (!on.isSuccess()) {
                Log.warning("Could not move the connection %s to the command thread: %s", ch, on.cause());
                ch.close();
            }
            submit(then);
        }));
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
        if (Thread.currentThread() != thread) {
            io.wakeup(); // a write to the eventfd only when the thread sleeps in epoll
        }
    }

    /**
     * On this thread (an event of a channel registered here: the link to the master), runs the task at once, in
     * the order of the I/O that caused it and ahead of the tasks queued meanwhile, as Redis handles its master's
     * socket: a link lost is known before a client's INFO read in the same pass is answered, and the stream
     * read is applied before the clients' requests that came after it. Elsewhere, submits it. Replies and
     * stream bytes it produces go out after the I/O pass, as after a batch.
     */
    public void runHere(Runnable task) {
        if (Thread.currentThread() != thread) {
            submit(task);
            return;
        }
        lastBatchNanos = System.nanoTime();
        ranHere = true;
        runSafely(task);
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
        drain(more, MAX_BATCH);
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
        submit(() -> { });
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
                // the channels' I/O first (their handlers run here and may submit tasks), blocking while there
                // is nothing to do; run(0) would block without a limit, so a due wait is a non-blocking run
                io.run(wait > 0 ? wait : -1);
                if (ranHere) {
                    ranHere = false;
                    runSafely(afterBatch);
                }
                Runnable first = queue.poll();
                if (first != null) {
                    lastBatchNanos = System.nanoTime();
                    batch.add(first);
                    drain(batch, MAX_BATCH);
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
            } catch (RuntimeException | Error e) {
                Log.warning("Unexpected error in the command thread's event loop: %s", e);
            }
        }
        // the channels still registered here are closed by the shutdown of the event loop
        io.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        for (int i = 0; i < 100 && !io.isTerminated(); i++) {
            io.runNow();
        }
    }

    private void drain(List<Runnable> into, int max) {
        Runnable task;
        while (into.size() < max && (task = queue.poll()) != null) {
            into.add(task);
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
