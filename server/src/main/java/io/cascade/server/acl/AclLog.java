package io.cascade.server.acl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * ACL LOG: the latest refusals, newest first, a repeat of a recent one (same reason, context, object and user
 * within a minute) counted on its entry instead of added (Redis's addACLLogEntry). Command thread.
 */
public final class AclLog {
    /** ACL_LOG_GROUPING_MAX_TIME_DELTA. */
    private static final long GROUPING_MILLIS = 60_000;
    /** Redis looks this far back for a repeat. */
    private static final int SCAN_FOR_REPEAT = 10;

    /** Why: "command", "key", "channel" or "auth". */
    public enum Reason {
        COMMAND, KEY, CHANNEL, AUTH;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One entry; count and the time and client of its last occurrence change on a repeat. */
    public static final class Entry {
        public final Reason reason;
        /** "toplevel", "multi" or "lua". */
        public final String context;
        public final byte[] object;
        public final String username;
        public long count = 1;
        public long millis;
        public String clientInfo;

        Entry(Reason reason, String context, byte[] object, String username, long millis, String clientInfo) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.millis = millis;
            this.clientInfo = clientInfo;
        }

        boolean repeats(Entry e) {
            return reason == e.reason && context.equals(e.context) && Math.abs(millis - e.millis) <= GROUPING_MILLIS
                    && Arrays.equals(object, e.object) && username.equals(e.username);
        }
    }

    private final LinkedList<Entry> entries = new LinkedList<>();
    private final LongSupplier maxLen;

    AclLog(LongSupplier maxLen) {
        this.maxLen = maxLen;
    }

    public void add(Reason reason, String context, byte[] object, String username, String clientInfo) {
        Entry e = new Entry(reason, context, object, username, System.currentTimeMillis(), clientInfo);
        int scanned = 0;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext() && scanned < SCAN_FOR_REPEAT; scanned++) {
            Entry current = it.next();
            if (current.repeats(e)) {
                it.remove();
                current.count++;
                current.millis = e.millis;
                current.clientInfo = e.clientInfo;
                entries.addFirst(current);
                return;
            }
        }
        entries.addFirst(e);
        while (entries.size() > maxLen.getAsLong()) {
            entries.removeLast();
        }
    }

    /** The newest count entries. */
    public List<Entry> latest(long count) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (out.size() >= count) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    public void reset() {
        entries.clear();
    }
}
