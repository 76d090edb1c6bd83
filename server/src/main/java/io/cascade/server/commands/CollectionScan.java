package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.ScanArgs;
import io.cascade.storage.types.G17;
import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RSet;
import io.cascade.storage.types.RZSet;

import java.util.ArrayList;
import java.util.List;

/**
 * HSCAN, SSCAN and ZSCAN (scanGenericCommand on a value). A listpack hash or zset, or an intset, answers everything in one call
 * with cursor 0, as Redis does for its compact encodings; a hashtable is walked bucket by bucket with
 * Dict.scanStep's reverse-binary cursor. Command thread.
 */
final class CollectionScan {
    static final String COMPLEXITY = "O(1) for every call. O(N) for a complete iteration, including enough command "
            + "calls for the cursor to return back to 0. N is the number of elements inside the collection..";

    private CollectionScan() {
    }

    /**
     * Redis checks the cursor, then the key (a missing key answers an empty scan whatever the options say, a
     * wrong type is WRONGTYPE), and only then the options.
     */
    private record Scan<T>(ScanArgs args, T value) {
    }

    private static <T> Scan<T> parse(CommandContext c, Class<T> type) {
        ScanArgs args = null;
        CommandException optionError = null;
        try {
            args = ScanArgs.parse(c, 2, false);
        } catch (CommandException e) {
            if (e.getMessage().equals("ERR invalid cursor")) {
                throw e;
            }
            optionError = e;
        }
        T value = c.lookup(c.argv[1], type);
        if (value == null) {
            emptyScan(c);
            return null;
        }
        if (optionError != null) {
            throw optionError;
        }
        return new Scan<>(args, value);
    }

    private static void emptyScan(CommandContext c) {
        c.reply.array(2);
        c.reply.bulk("0");
        c.reply.array(0);
    }

    static void hscan(CommandContext c) {
        Scan<RHash> scan = parse(c, RHash.class);
        if (scan == null) {
            return;
        }
        ScanArgs a = scan.args();
        RHash h = scan.value();
        List<byte[]> out = new ArrayList<>();
        long cursor = 0;
        if (h.isHashtable()) {
            // count counts fields and values, as in Redis
            long count = a.count * 2;
            long maxIterations = count * 10;
            cursor = a.cursor;
            do {
                cursor = h.scanStep(cursor, (f, v) -> {
                    out.add(f);
                    out.add(v);
                });
            } while (cursor != 0 && maxIterations-- > 0 && out.size() < count);
        } else {
            h.forEach((f, v) -> {
                out.add(f);
                out.add(v);
            });
        }
        List<byte[]> kept = new ArrayList<>();
        for (int i = 0; i < out.size(); i += 2) {
            if (a.matches(out.get(i))) {
                kept.add(out.get(i));
                kept.add(out.get(i + 1));
            }
        }
        reply(c, cursor, kept);
    }

    static void sscan(CommandContext c) {
        Scan<RSet> scan = parse(c, RSet.class);
        if (scan == null) {
            return;
        }
        ScanArgs a = scan.args();
        RSet s = scan.value();
        List<byte[]> out = new ArrayList<>();
        long cursor = 0;
        if (s.isHashtable()) {
            long maxIterations = a.count * 10;
            cursor = a.cursor;
            do {
                cursor = s.scanStep(cursor, out::add);
            } while (cursor != 0 && maxIterations-- > 0 && out.size() < a.count);
        } else {
            s.forEach(out::add);
        }
        out.removeIf(m -> !a.matches(m));
        reply(c, cursor, out);
    }

    static void zscan(CommandContext c) {
        Scan<RZSet> scan = parse(c, RZSet.class);
        if (scan == null) {
            return;
        }
        ScanArgs a = scan.args();
        RZSet z = scan.value();
        List<byte[]> out = new ArrayList<>();
        long cursor = 0;
        if (z.isSkiplist()) {
            // count counts members and scores; a skiplist's score reads as ld2string's "%.17Lg"
            long count = a.count * 2;
            long maxIterations = count * 10;
            cursor = a.cursor;
            do {
                cursor = z.scanStep(cursor, n -> {
                    out.add(n.member());
                    out.add(G17.format(n.score()).getBytes());
                });
            } while (cursor != 0 && maxIterations-- > 0 && out.size() < count);
        } else {
            z.forEach((m, s) -> {
                out.add(m);
                out.add(ZScores.listpackText(s));
            });
        }
        List<byte[]> kept = new ArrayList<>();
        for (int i = 0; i < out.size(); i += 2) {
            if (a.matches(out.get(i))) {
                kept.add(out.get(i));
                kept.add(out.get(i + 1));
            }
        }
        reply(c, cursor, kept);
    }

    private static void reply(CommandContext c, long cursor, List<byte[]> elements) {
        c.reply.array(2);
        c.reply.bulk(Long.toUnsignedString(cursor));
        c.reply.array(elements.size());
        for (byte[] e : elements) {
            c.reply.bulk(e);
        }
    }
}
