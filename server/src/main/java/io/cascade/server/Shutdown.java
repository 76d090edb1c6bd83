package io.cascade.server;

import io.cascade.conf.Log;
import io.cascade.server.command.CommandContext;
import io.cascade.server.net.Client;
import io.cascade.server.net.NetServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Orderly exit, as Redis's prepareForShutdown: close the listeners, remove the pid file and the unix socket,
 * log, exit. Runs on the command thread (SHUTDOWN) or on the JVM's shutdown-hook thread (SIGTERM, SIGINT).
 */
public final class Shutdown {
    private final Server server;
    private final NetServer net;
    private volatile boolean done;
    private Path pidFile;

    Shutdown(Server server, NetServer net) {
        this.server = server;
        this.net = net;
    }

    /** Writes the pid file when one is configured, or when daemonized (Redis's default path then). */
    void writePidFile() {
        String name = server.config.getString("pidfile");
        if ((name == null || name.isEmpty()) && server.config.getBool("daemonize")) {
            name = "/var/run/redis_" + server.config.getInt("port") + ".pid";
        }
        if (name == null || name.isEmpty()) {
            return;
        }
        try {
            Path p = server.config.dir().resolve(name); // relative names are relative to dir, as after Redis's chdir
            Files.writeString(p, ProcessHandle.current().pid() + "\n");
            pidFile = p;
        } catch (IOException e) {
            Log.warning("Failed to write PID file: %s", e.getMessage());
        }
    }

    /** A SHUTDOWN waiting for lagging replicas to catch up (spec 4.12); its client is blocked meanwhile. */
    private record Pending(Client client, boolean save, boolean nosave, boolean force, long deadline) {
    }

    private Pending pending;

    /**
     * SHUTDOWN: unless NOW, replicas that have not acknowledged everything get up to shutdown-timeout seconds
     * to catch up (a GETACK asks them); the client waits without a reply meanwhile. Returns false when the
     * shutdown failed at once (the caller answers the error); true when the server exits or waits.
     */
    public boolean byCommand(CommandContext c, boolean save, boolean nosave, boolean force, boolean now) {
        Log.warning("User requested shutdown...");
        long timeout = server.config.getLong("shutdown-timeout");
        if (!now && timeout > 0 && server.downstream.lagging()) {
            Log.notice("Waiting for replicas before shutting down.");
            pending = new Pending(c.client, save, nosave, force, System.currentTimeMillis() + timeout * 1000);
            server.blocking.block(c, List.of(), 0, new Blocking.NoKeys());
            server.downstream.requestGetack();
            // the replicas catch up with a dataset that no longer changes
            server.pause.pause(Pause.Purpose.SHUTDOWN, Long.MAX_VALUE, Pause.Type.WRITE);
            return true;
        }
        return exitNow(save, nosave, force);
    }

    /** SHUTDOWN ABORT: a shutdown waiting for replicas is given up; false when none waits. */
    public boolean abort() {
        if (pending == null) {
            return false;
        }
        Log.warning("Shutdown manually aborted.");
        server.blocking.release(pending.client(), r -> r.error("ERR Errors trying to SHUTDOWN. Check logs."));
        pending = null;
        server.pause.unpause(Pause.Purpose.SHUTDOWN);
        return true;
    }

    /** From the cron, hz times a second: a waiting shutdown goes on once the replicas caught up or time is up. */
    void cron() {
        Pending p = pending;
        if (p == null) {
            return;
        }
        boolean late = System.currentTimeMillis() > p.deadline();
        if (server.downstream.lagging() && !late) {
            return;
        }
        pending = null;
        if (late) {
            server.downstream.logLagging();
        }
        if (!exitNow(p.save(), p.nosave(), p.force())) {
            server.blocking.release(p.client(), r -> r.error("ERR Errors trying to SHUTDOWN. Check logs."));
            server.pause.unpause(Pause.Purpose.SHUTDOWN);
        }
    }

    private boolean exitNow(boolean save, boolean nosave, boolean force) {
        if (!finalSave(save, nosave, force)) {
            return false;
        }
        prepare();
        Log.warning("%s is now ready to exit, bye bye...", "Cascade");
        System.exit(0);
        return true;
    }

    /**
     * prepareForShutdown's save, on the command thread: when asked for, or implied by save rules unless
     * NOSAVE. False when it failed and FORCE was not given: then the server stays up.
     */
    private boolean finalSave(boolean save, boolean nosave, boolean force) {
        boolean rulesWantSave = !server.config.saveRules().isEmpty();
        // while the startup load runs the file on disk is the dataset: Redis does not save then
        if (nosave || !(save || rulesWantSave) || server.persistence.loading) {
            server.persistence.abortSnapshots("shutdown");
            return true;
        }
        if (server.persistence.saveBeforeExit()) {
            return true;
        }
        if (force) {
            Log.warning("Error trying to save the DB. Exit anyway.");
            return true;
        }
        return false;
    }

    /**
     * SIGTERM or SIGINT, caught as Redis catches them: clean up, then exit with status 0 (a supervisor sees a
     * clean stop, not a killed process).
     */
    void onSignal(String name) {
        if (done) {
            return;
        }
        Log.warning("Received %s scheduling shutdown...", name);
        // shutdown-on-sigterm / shutdown-on-sigint: "default" saves when save rules exist
        String flags = server.config.getEnum(name.equals("SIGINT") ? "shutdown-on-sigint" : "shutdown-on-sigterm");
        boolean save = flags.contains("save") && !flags.contains("nosave");
        boolean nosave = flags.contains("nosave");
        boolean force = flags.contains("force");
        if (!server.main.isAlive()) {
            // still loading the RDB at startup: Redis does not save then (the file on disk is the dataset)
            prepare();
            Log.warning("%s is now ready to exit, bye bye...", "Cascade");
            System.exit(0);
            return;
        }
        awaitReplicas();
        CompletableFuture<Boolean> saved = new CompletableFuture<>();
        // the dataset belongs to the command thread: the final save runs there, and this thread waits
        server.main.submit(() -> saved.complete(finalSave(save, nosave, force)));
        if (!await(saved)) {
            Log.warning("SIGTERM received but errors trying to shut down the server, check the logs for more information");
            return;
        }
        prepare();
        Log.warning("%s is now ready to exit, bye bye...", "Cascade");
        System.exit(0);
    }

    /** A signal's shutdown gives lagging replicas up to shutdown-timeout to catch up, as SHUTDOWN does. */
    private void awaitReplicas() {
        long deadline = System.currentTimeMillis() + server.config.getLong("shutdown-timeout") * 1000;
        boolean asked = false;
        while (System.currentTimeMillis() < deadline) {
            CompletableFuture<Boolean> lagging = new CompletableFuture<>();
            boolean ask = !asked;
            server.main.submit(() -> {
                boolean l = server.downstream.lagging();
                if (l && ask) {
                    Log.notice("Waiting for replicas before shutting down.");
                    server.downstream.requestGetack();
                }
                lagging.complete(l);
            });
            asked = true;
            if (!await(lagging)) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        server.main.submit(server.downstream::logLagging);
    }

    /** The JVM is exiting for another reason (System.exit elsewhere, a signal we do not catch): clean up. */
    void onJvmExit() {
        if (!done) {
            prepare();
        }
    }

    /** Installs the SIGTERM and SIGINT handlers and the JVM exit hook. */
    void install() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> onSignal("SIG" + name));
            } catch (IllegalArgumentException unavailable) {
                Log.verbose("Cannot handle SIG%s here; relying on the JVM's shutdown hook", name);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::onJvmExit, "cascade-shutdown"));
    }

    private synchronized void prepare() {
        if (done) {
            return;
        }
        done = true;
        net.close();
        if (pidFile != null) {
            try {
                Files.deleteIfExists(pidFile);
                Log.notice("Removing the pid file.");
            } catch (IOException e) {
                Log.warning("Error removing the pid file: %s", e.getMessage());
            }
        }
    }

    /** Waits for a save submitted to the command thread (the signal handler's final save). */
    private static boolean await(CompletableFuture<Boolean> f) {
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
