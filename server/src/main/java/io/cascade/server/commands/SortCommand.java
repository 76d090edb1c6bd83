package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.server.command.KeyFlags;
import io.cascade.storage.Keyspace;
import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;
import io.cascade.storage.types.RZSet;
import io.cascade.storage.types.ZNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * SORT and SORT_RO (sort.c) over lists, sets and sorted sets: BY (with * and -> patterns, or a constant for no
 * sorting: a list or sorted set then keeps its own order), LIMIT, GET (# and patterns), ASC/DESC, ALPHA, STORE.
 * Command thread.
 */
public final class SortCommand {
    private static final String BY_NOTES = "For the optional BY/GET keyword. It is marked 'unknown' because the key "
            + "names derive from the content of the key we sort";
    private static final String STORE_NOTES = "For the optional STORE keyword. It is marked 'unknown' because the "
            + "keyword can appear anywhere in the argument array";
    private static final String COMPLEXITY = "O(N+M*log(M)) where N is the number of elements in the list or set to "
            + "sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";
    private static final String ARGS = "key:key [BY pattern:pattern] [LIMIT offset:integer count:integer] "
            + "[GET pattern:pattern]... [ASC|DESC] [ALPHA]";

    private SortCommand() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("sort", -2, "write denyoom movablekeys", c -> sort(c, false)).keys(1, 1, 1, "RO access")
                .unknownKeys("RO access", BY_NOTES).unknownKeys("OW update", STORE_NOTES)
                .acl("set sortedset list dangerous")
                .doc("Sort the elements in a list, set or sorted set", "1.0.0", "generic", COMPLEXITY,
                        ARGS + " [STORE destination:key]"));
        t.add(cmd("sort_ro", -2, "readonly movablekeys", c -> sort(c, true)).keys(1, 1, 1, "RO access")
                .unknownKeys("RO access", BY_NOTES).acl("set sortedset list dangerous")
                .doc("Sort the elements in a list, set or sorted set. Read-only variant of SORT.", "7.0.0", "generic",
                        COMPLEXITY, ARGS));
    }

    /** One element being sorted: the element, and its weight (a score, or the BY value for ALPHA). */
    private static final class Item {
        final byte[] obj;
        double score;
        byte[] cmp;

        Item(byte[] obj) {
            this.obj = obj;
        }
    }

    static void sort(CommandContext c, boolean readonly) {
        boolean desc = false;
        boolean alpha = false;
        boolean dontsort = false;
        long limitStart = 0;
        long limitCount = -1;
        byte[] sortby = null;
        byte[] storekey = null;
        List<byte[]> gets = new ArrayList<>();
        // BY and GET read keys no key spec names: Redis allows them only to a user who may read every key
        boolean fullKeyAccess = c.server.acl.unrestrictedKeyAccess(c.client.user, c.spec, c.argv, KeyFlags.ACCESS);
        for (int j = 2; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            String opt = c.argLower(j);
            if (opt.equals("asc")) {
                desc = false;
            } else if (opt.equals("desc")) {
                desc = true;
            } else if (opt.equals("alpha")) {
                alpha = true;
            } else if (opt.equals("limit") && left >= 2) {
                limitStart = c.longArg(j + 1);
                limitCount = c.longArg(j + 2);
                j += 2;
            } else if (!readonly && opt.equals("store") && left >= 1) {
                storekey = c.argv[++j];
            } else if (opt.equals("by") && left >= 1) {
                sortby = c.argv[++j];
                // a BY pattern without '*' is a constant: nothing to sort by
                if (indexOf(sortby, (byte) '*', 0) < 0) {
                    dontsort = true;
                } else if (!fullKeyAccess) {
                    throw new CommandException("ERR BY option of SORT denied due to insufficient ACL permissions.");
                }
            } else if (opt.equals("get") && left >= 1) {
                if (!fullKeyAccess) {
                    throw new CommandException("ERR GET option of SORT denied due to insufficient ACL permissions.");
                }
                gets.add(c.argv[++j]);
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        Object sortval = c.lookup(c.argv[1], Object.class);
        if (sortval != null && !(sortval instanceof RList) && !(sortval instanceof RSet)
                && !(sortval instanceof RZSet)) {
            throw CommandException.wrongType();
        }
        if (sortval instanceof RZSet z && z.isListpack()) {
            // Redis converts the sorted set it sorts to a skiplist for good (even SORT_RO), and tells no one:
            // OBJECT ENCODING and DUMP show it afterwards, WATCH does not
            z.convertToSkiplist();
            c.db().reencode(c.argv[1], z);
        }
        if (dontsort && sortval instanceof RSet && (storekey != null || c.client.script)) {
            // a set's order is not the same on a replica: what is stored, or what a script sees (it may write
            // what it read), gets sorted
            dontsort = false;
            alpha = true;
            sortby = null;
        }
        int len = sortval instanceof RList l ? l.size() : sortval instanceof RSet s ? s.size()
                : sortval instanceof RZSet z ? z.size() : 0;
        long start = Math.min(Math.max(limitStart, 0), len);
        limitCount = Math.min(Math.max(limitCount, -1), len);
        long end = limitCount < 0 ? len - 1 : start + limitCount - 1;
        if (start >= len) {
            start = len - 1;
            end = len - 2;
        }
        if (end >= len) {
            end = len - 1;
        }
        List<Item> vector = new ArrayList<>(len);
        if (sortval instanceof RList l && dontsort) {
            // the list's own order (reversed for DESC), just the LIMIT range
            for (long i = start; i <= end; i++) {
                vector.add(new Item(l.get((int) (desc ? len - 1 - i : i))));
            }
            end -= start;
            start = 0;
        } else if (sortval instanceof RList l) {
            for (int i = 0; i < len; i++) {
                vector.add(new Item(l.get(i)));
            }
        } else if (sortval instanceof RSet s) {
            s.forEach(m -> vector.add(new Item(m)));
        } else if (sortval instanceof RZSet z && dontsort) {
            // rank order (from the highest for DESC), just the LIMIT range
            long rangelen = Math.max(0, end - start + 1);
            ZNode n = rangelen == 0 ? null : desc ? z.byRank(len - 1 - start) : z.byRank(start);
            for (long i = 0; i < rangelen; i++) {
                vector.add(new Item(n.member()));
                n = desc ? n.prev() : n.next();
            }
            end -= start;
            start = 0;
        } else if (sortval instanceof RZSet z) {
            z.forEach((m, score) -> vector.add(new Item(m)));
        }
        boolean conversionError = false;
        Keyspace db = c.db();
        if (!dontsort) {
            for (Item it : vector) {
                byte[] byval = sortby != null ? lookupByPattern(c, sortby, it.obj) : it.obj;
                if (byval == null) {
                    continue;
                }
                if (alpha) {
                    if (sortby != null) {
                        it.cmp = byval;
                    }
                } else {
                    Double d = strtod(byval);
                    if (d == null) {
                        conversionError = true;
                    } else {
                        it.score = d;
                    }
                }
            }
            final boolean byPattern = sortby != null;
            final boolean alphaSort = alpha;
            final boolean descending = desc;
            // a stable sort, as glibc's qsort (a merge sort) is for elements that compare equal
            vector.sort((a, b) -> {
                int cmp;
                if (!alphaSort) {
                    cmp = a.score > b.score ? 1 : a.score < b.score ? -1 : Arrays.compareUnsigned(a.obj, b.obj);
                } else if (byPattern) {
                    cmp = a.cmp == null || b.cmp == null ? (a.cmp == b.cmp ? 0 : a.cmp == null ? -1 : 1)
                            : Arrays.compareUnsigned(a.cmp, b.cmp);
                } else {
                    cmp = Arrays.compareUnsigned(a.obj, b.obj);
                }
                return descending ? -cmp : cmp;
            });
        }
        int outputlen = (int) (gets.isEmpty() ? end - start + 1 : gets.size() * (end - start + 1));
        if (conversionError) {
            c.reply.error("ERR One or more scores can't be converted into double");
            return;
        }
        if (storekey == null) {
            c.reply.array(outputlen);
            for (long j = start; j <= end; j++) {
                byte[] obj = vector.get((int) j).obj;
                if (gets.isEmpty()) {
                    c.reply.bulk(obj);
                }
                for (byte[] pattern : gets) {
                    c.reply.bulk(lookupByPattern(c, pattern, obj));
                }
            }
            return;
        }
        RList out = new RList(Math.max(1, outputlen));
        for (long j = start; j <= end; j++) {
            byte[] obj = vector.get((int) j).obj;
            if (gets.isEmpty()) {
                out.addLast(obj);
            }
            for (byte[] pattern : gets) {
                byte[] v = lookupByPattern(c, pattern, obj);
                out.addLast(v == null ? new byte[0] : v.clone()); // a string may be changed in place later
            }
        }
        if (outputlen > 0) {
            db.set(storekey, out);
            c.notify(Notifications.LIST, "sortstore", storekey);
        } else if (db.delete(storekey)) {
            c.notify(Notifications.GENERIC, "del", storekey);
        }
        c.reply.integer(outputlen);
    }

    /**
     * lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced by the element and the
     * key read as a string, or, with "->field" after the '*', as that field of a hash. Anything else is null.
     */
    static byte[] lookupByPattern(CommandContext c, byte[] pattern, byte[] subst) {
        if (pattern.length == 1 && pattern[0] == '#') {
            return subst;
        }
        int star = indexOf(pattern, (byte) '*', 0);
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < pattern.length; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        byte[] field = null;
        int keyEnd = pattern.length;
        if (arrow >= 0 && arrow + 2 < pattern.length) {
            field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
            keyEnd = arrow;
        }
        byte[] key = new byte[star + subst.length + (keyEnd - star - 1)];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(subst, 0, key, star, subst.length);
        System.arraycopy(pattern, star + 1, key, star + subst.length, keyEnd - star - 1);
        Object o = c.lookup(key, Object.class);
        if (field != null) {
            return o instanceof RHash h ? h.get(field) : null;
        }
        return o instanceof byte[] s ? s : null;
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The weight as C's strtod reads the whole string (SORT's check: nothing may follow the number, no
     * overflow or underflow, no NaN): leading white space, decimal or hexadecimal, inf and infinity. The empty
     * string is 0, as strtod leaves it. Null when Redis would answer "can't be converted".
     */
    static Double strtod(byte[] b) {
        int n = b.length;
        int nul = indexOf(b, (byte) 0, 0);
        if (nul >= 0) {
            n = nul; // C stops at the first NUL
        }
        if (n == 0) {
            return 0.0;
        }
        String s = new String(b, 0, n, StandardCharsets.ISO_8859_1);
        int i = 0;
        while (i < s.length() && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        String t = s.substring(i);
        String lower = t.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        boolean negative = lower.startsWith("-");
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        double v;
        String mantissa;
        if (unsigned.matches("0x([0-9a-f]+\\.?[0-9a-f]*|\\.[0-9a-f]+)(p[+-]?[0-9]+)?")) {
            v = Double.parseDouble((negative ? "-" : "") + unsigned + (unsigned.contains("p") ? "" : "p0"));
            mantissa = unsigned.substring(2).split("p")[0];
        } else if (unsigned.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) {
            v = Double.parseDouble(t);
            mantissa = unsigned.split("e")[0];
        } else {
            return null;
        }
        boolean nonzero = mantissa.matches(".*[1-9a-f].*");
        if (Double.isInfinite(v) || (nonzero && Math.abs(v) < Double.MIN_NORMAL)) {
            return null; // overflow or underflow: strtod's ERANGE
        }
        return v;
    }
}
