package io.cascade.server.commands;

import io.cascade.conf.Glob;
import io.cascade.conf.Log;
import io.cascade.conf.MemoryUnits;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.storage.Digest;
import io.cascade.storage.types.EncodingLimits;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * DEBUG, as Redis 7.0 declares it, with the subcommands Cascade can honour for real (DIGEST, DIGEST-VALUE,
 * OBJECT, PROTOCOL, SLEEP, SET-ACTIVE-EXPIRE, SET-DISABLE-DENY-SCRIPTS, REPLICATE, POPULATE, ...); any other one gets Redis's unknown-subcommand
 * error. Like Redis, a subcommand with the wrong number of arguments falls through to that error too.
 * Command thread.
 */
public final class DebugCommands {
    private DebugCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("debug", -2, "admin noscript loading stale protected", DebugCommands::debug)
                .doc("A container for debugging commands", "1.0.0", "server", "Depends on subcommand.", null));
    }

    static void debug(CommandContext c) {
        String sub = c.argLower(1);
        int argc = c.argc();
        switch (sub) {
            case "help" -> {
                if (argc == 2) {
                    c.help(DebugHelp.LINES);
                    return;
                }
            }
            case "digest" -> {
                if (argc == 2) {
                    c.reply.simple(Digest.dataset(c.server.databases));
                    return;
                }
            }
            case "digest-value" -> {
                // dictFind, not lookupKey: logically expired keys still have a digest
                c.reply.array(argc - 2);
                for (int j = 2; j < argc; j++) {
                    c.reply.simple(Digest.value(c.db(), c.argv[j]));
                }
                return;
            }
            case "reload" -> {
                reload(c);
                return;
            }
            case "object" -> {
                if (argc == 3) {
                    DebugObject.reply(c);
                    return;
                }
            }
            case "protocol" -> {
                if (argc == 3) {
                    DebugProtocol.reply(c);
                    return;
                }
            }
            case "sleep" -> {
                if (argc == 3) {
                    sleep(c);
                    return;
                }
            }
            case "set-active-expire" -> {
                if (argc == 3) {
                    c.server.activeExpireEnabled = atoi(c.arg(2)) != 0;
                    c.ok();
                    return;
                }
            }
            case "set-disable-deny-scripts" -> {
                if (argc == 3) {
                    c.server.scripting.disableDenyScript = atoi(c.arg(2)) != 0;
                    c.ok();
                    return;
                }
            }
            case "replicate" -> {
                if (argc >= 3) {
                    // the arguments go to the replicas as a command, without running here (tests use it to make
                    // a replica diverge)
                    c.server.propagation.also(c.client.db, Arrays.copyOfRange(c.argv, 2, argc));
                    c.ok();
                    return;
                }
            }
            case "pause-cron" -> {
                if (argc == 3) {
                    c.server.cronPaused = atoi(c.arg(2)) != 0;
                    c.ok();
                    return;
                }
            }
            case "quicklist-packed-threshold" -> {
                if (argc == 3) {
                    packedThreshold(c);
                    return;
                }
            }
            case "log" -> {
                if (argc == 3) {
                    Log.warning("DEBUG LOG: %s", c.arg(2));
                    c.ok();
                    return;
                }
            }
            case "error" -> {
                if (argc == 3) {
                    error(c);
                    return;
                }
            }
            case "populate" -> {
                if (argc >= 3 && argc <= 5) {
                    DebugPopulate.run(c);
                    return;
                }
            }
            case "change-repl-id" -> {
                if (argc == 2) {
                    Log.warning("Changing replication IDs after receiving DEBUG change-repl-id");
                    c.server.changeReplicationId();
                    c.ok();
                    return;
                }
            }
            case "stringmatch-test" -> {
                if (argc == 2) {
                    stringmatchFuzz();
                    c.reply.simple("Apparently Redis did not crash: test passed");
                    return;
                }
            }
            default -> {
            }
        }
        c.reply.error(Errors.subcommandSyntax(c.argv));
    }

    /** RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, flush and load the RDB file back (debug.c's order). */
    private static void reload(CommandContext c) {
        boolean merge = false;
        boolean flush = true;
        boolean save = true;
        for (int j = 2; j < c.argc(); j++) {
            switch (c.argLower(j)) {
                case "merge" -> merge = true;
                case "noflush" -> flush = false;
                case "nosave" -> save = false;
                default -> {
                    c.reply.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
                    return;
                }
            }
        }
        String error = c.server.persistence.debugReload(merge, flush, save);
        if (error == null) {
            c.ok();
        } else {
            c.reply.error(error);
        }
    }

    /** SLEEP seconds: stops the command thread, so the whole server, as Redis's nanosleep does. */
    private static void sleep(CommandContext c) {
        long micros = (long) (strtod(c.arg(2)) * 1_000_000);
        if (micros > 0) {
            try {
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        c.ok();
    }

    private static void packedThreshold(CommandContext c) {
        long size;
        try {
            size = MemoryUnits.parse(c.arg(2));
        } catch (IllegalArgumentException e) {
            size = -1;
        }
        // quicklistisSetPackedThreshold: not even slightly below 4 GB; 0 restores the 1 GB default
        if (size == -1 || Long.compareUnsigned(size, (1L << 32) - (1L << 20)) > 0) {
            c.reply.error("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
            return;
        }
        EncodingLimits.quicklistPackedThreshold = size == 0 ? 1L << 30 : size;
        c.ok();
    }

    /** ERROR text: the text as an error reply, CR and LF blanked; written raw, so not counted in errorstats. */
    private static void error(CommandContext c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('-');
        for (byte b : c.argv[2]) {
            out.write(b == '\r' || b == '\n' ? ' ' : b);
        }
        out.write('\r');
        out.write('\n');
        c.reply.raw(out.toByteArray());
    }

    /** STRINGMATCH-TEST: random patterns and strings (7-bit, up to 31 bytes) through the glob matcher. */
    private static void stringmatchFuzz() {
        SplittableRandom r = new SplittableRandom();
        for (int i = 0; i < 20_000; i++) {
            byte[] pattern = new byte[r.nextInt(32)];
            byte[] string = new byte[r.nextInt(32)];
            for (int j = 0; j < pattern.length; j++) {
                pattern[j] = (byte) r.nextInt(128);
            }
            for (int j = 0; j < string.length; j++) {
                string[j] = (byte) r.nextInt(128);
            }
            Glob.match(pattern, string, false);
        }
    }

    /** C's atoi, as strtol then a cast to int: leading blanks, a sign, digits; anything else ends the number. */
    static int atoi(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        for (; i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            v = v > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : v * 10 + (s.charAt(i) - '0');
            if (v < 0) {
                v = Long.MAX_VALUE;
            }
        }
        return (int) (negative ? -v : v);
    }

    /** C's strtod on the longest numeric prefix (0 when there is none), as Redis reads SLEEP's seconds. */
    static double strtod(String s) {
        Matcher m = Pattern
                .compile("^\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?").matcher(s);
        if (!m.find()) {
            return 0;
        }
        return Double.parseDouble(m.group().trim());
    }
}
