package io.cascade.server;

import io.cascade.conf.Log;
import io.cascade.server.net.NetServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /**
     * SHUTDOWN: saving is asked for by SAVE, or implied by save rules unless NOSAVE. Exits the process, or
     * returns false when an explicitly requested save cannot be made (Redis then refuses unless FORCE).
     */
    public boolean byCommand(boolean save, boolean nosave, boolean force) {
        Log.warning("User requested shutdown...");
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
            server.persistence.abortBgsave("shutdown");
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
        java.util.concurrent.CompletableFuture<Boolean> saved = new java.util.concurrent.CompletableFuture<>();
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
    private static boolean await(java.util.concurrent.CompletableFuture<Boolean> f) {
        try {
            return f.get(10, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }
}
