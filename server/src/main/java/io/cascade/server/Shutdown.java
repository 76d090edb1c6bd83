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
        if (save && !force) {
            // the RDB writer arrives with the RDB issue: an explicit SAVE cannot be honoured yet
            Log.warning("Error trying to save the DB, can't exit: RDB persistence is not implemented yet.");
            return false;
        }
        prepare(save, nosave);
        Log.warning("%s is now ready to exit, bye bye...", "Cascade");
        System.exit(0);
        return true;
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
        prepare(false, false);
        Log.warning("%s is now ready to exit, bye bye...", "Cascade");
        System.exit(0);
    }

    /** The JVM is exiting for another reason (System.exit elsewhere, a signal we do not catch): clean up. */
    void onJvmExit() {
        if (!done) {
            prepare(false, false);
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

    private synchronized void prepare(boolean save, boolean nosave) {
        if (done) {
            return;
        }
        done = true;
        boolean rulesWantSave = !server.config.saveRules().isEmpty();
        if (!nosave && (save || rulesWantSave)) {
            // RDB persistence arrives with the RDB issue; until then say plainly that nothing was written
            Log.warning("Not saving the DB before exiting: RDB persistence is not implemented yet.");
        }
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
}
