package io.cascade.conf;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The server log, in Redis's format: "pid:role dd Mon yyyy HH:mm:ss.SSS level message". Any thread may log;
 * lines are written whole. Level and destination come from the loglevel and logfile directives.
 */
public final class Log {
    /** Redis's levels, with the marker character each one prints. */
    public enum Level {
        DEBUG('.'), VERBOSE('-'), NOTICE('*'), WARNING('#');

        final char marker;

        Level(char marker) {
            this.marker = marker;
        }

        public static Level parse(String word) {
            return valueOf(word.toUpperCase(Locale.ROOT));
        }
    }

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH).withZone(ZoneId.systemDefault());
    private static final long PID = ProcessHandle.current().pid();

    private static volatile Level threshold = Level.NOTICE;
    /** 'M' master, 'S' replica, 'C' a child task such as a snapshot writer. */
    private static volatile char role = 'M';
    private static PrintStream out = System.out;

    private Log() {
    }

    public static void setLevel(Level level) {
        threshold = level;
    }

    public static void setRole(char r) {
        role = r;
    }

    /** Sends the log to a file (appending), or to standard output when the name is empty. */
    public static synchronized void setFile(String logfile) throws IOException {
        if (logfile == null || logfile.isEmpty()) {
            out = System.out;
            return;
        }
        OutputStream file = new FileOutputStream(logfile, true);
        out = new PrintStream(file, true, StandardCharsets.UTF_8);
    }

    public static boolean enabled(Level level) {
        return level.compareTo(threshold) >= 0;
    }

    public static void debug(String fmt, Object... args) {
        log(Level.DEBUG, fmt, args);
    }

    public static void verbose(String fmt, Object... args) {
        log(Level.VERBOSE, fmt, args);
    }

    public static void notice(String fmt, Object... args) {
        log(Level.NOTICE, fmt, args);
    }

    public static void warning(String fmt, Object... args) {
        log(Level.WARNING, fmt, args);
    }

    public static void log(Level level, String fmt, Object... args) {
        if (!enabled(level)) {
            return;
        }
        String msg = args.length == 0 ? fmt : String.format(Locale.ROOT, fmt, args);
        line(level, msg);
    }

    /** Writes one line without formatting, e.g. the raw lines of a banner. */
    public static synchronized void line(Level level, String msg) {
        out.println(PID + ":" + role + " " + TIME.format(Instant.now()) + " " + level.marker + " " + msg);
    }
}
