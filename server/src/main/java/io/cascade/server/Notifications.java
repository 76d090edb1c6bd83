package io.cascade.server;

import java.nio.charset.StandardCharsets;

/**
 * Keyspace notifications (Redis's notify.c): an event of a class enabled by notify-keyspace-events is published
 * as {@code __keyspace@<db>__:<key>} carrying the event name and {@code __keyevent@<db>__:<event>} carrying the
 * key. Commands raise them through CommandContext.notify, in the order Redis's commands do. Command thread only.
 */
public final class Notifications {
    /** Redis's NOTIFY_* classes (server.h). */
    public static final int KEYSPACE = 1, KEYEVENT = 1 << 1, GENERIC = 1 << 2, STRING = 1 << 3, LIST = 1 << 4,
            SET = 1 << 5, HASH = 1 << 6, ZSET = 1 << 7, EXPIRED = 1 << 8, EVICTED = 1 << 9, STREAM = 1 << 10,
            KEY_MISS = 1 << 11, MODULE = 1 << 13, NEW = 1 << 14;

    private static final byte[] KEYSPACE_PREFIX = "__keyspace@".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEYEVENT_PREFIX = "__keyevent@".getBytes(StandardCharsets.US_ASCII);

    private final PubSub pubsub;
    /** notify-keyspace-events, kept here so that the check per event is one test. */
    private int flags;

    Notifications(PubSub pubsub, int flags) {
        this.pubsub = pubsub;
        this.flags = flags;
    }

    void setFlags(int flags) {
        this.flags = flags;
    }

    /** True when events of this class are published: callers may skip building a costly event. */
    public boolean enabled(int type) {
        return (flags & type) != 0;
    }

    /** notifyKeyspaceEvent(type, event, key, dbid). */
    public void notify(int type, String event, byte[] key, int db) {
        if ((flags & type) == 0) {
            return;
        }
        byte[] eventBytes = event.getBytes(StandardCharsets.US_ASCII);
        byte[] dbPart = (db + "__:").getBytes(StandardCharsets.US_ASCII);
        if ((flags & KEYSPACE) != 0) {
            pubsub.publish(concat(KEYSPACE_PREFIX, dbPart, key), eventBytes, PubSub.Kind.GLOBAL);
        }
        if ((flags & KEYEVENT) != 0) {
            pubsub.publish(concat(KEYEVENT_PREFIX, dbPart, eventBytes), key, PubSub.Kind.GLOBAL);
        }
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        byte[] out = new byte[a.length + b.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        System.arraycopy(c, 0, out, a.length + b.length, c.length);
        return out;
    }
}
