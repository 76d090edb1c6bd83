package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.storage.Keyspace;

/**
 * SETRANGE and APPEND: they build a new array and keep the key's TTL, as Redis changes its string in place;
 * a SETRANGE inside a large string the store keeps on the heap writes into it (Keyspace.liveString). Command
 * thread.
 */
final class StringEditCommands {
    /** The largest array the JVM allocates: a limit below proto-max-bulk-len only if that was raised past 2 GB. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private StringEditCommands() {
    }

    /** Redis's checkStringLength: the result may not exceed proto-max-bulk-len (nor overflow). */
    static void checkStringLength(CommandContext c, long size, long append) {
        long total = size + append;
        if (total > c.server.config.getLong("proto-max-bulk-len") || total < size || total < append
                || total > MAX_ARRAY) {
            throw new CommandException("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        }
    }

    /**
     * SETRANGE key offset value: zero-pads up to offset. An empty value changes nothing and answers the
     * current length (0 for a missing key, which is not created).
     */
    static void setrange(CommandContext c) {
        long offset = c.longArg(2);
        byte[] value = c.argv[3];
        if (offset < 0) {
            throw new CommandException("ERR offset is out of range");
        }
        byte[] key = c.argv[1];
        Keyspace db = c.db();
        byte[] old = c.lookupWrite(key, byte[].class);
        if (old == null) {
            if (value.length == 0) {
                c.reply.integer(0);
                return;
            }
            checkStringLength(c, offset, value.length);
            byte[] created = new byte[(int) offset + value.length];
            System.arraycopy(value, 0, created, (int) offset, value.length);
            db.setBuiltInPlace(key, created);
            c.notify(Notifications.STRING, "setrange", key);
            c.reply.integer(created.length);
            return;
        }
        if (value.length == 0) {
            c.reply.integer(old.length);
            return;
        }
        checkStringLength(c, offset, value.length);
        byte[] live = offset + value.length <= old.length ? db.liveString(key) : null;
        if (live != null) {
            // a large string the store keeps on the heap, and its length stays: written in place
            System.arraycopy(value, 0, live, (int) offset, value.length);
            db.modifiedInPlace(key);
            c.notify(Notifications.STRING, "setrange", key);
            c.reply.integer(live.length);
            return;
        }
        byte[] updated = new byte[(int) Math.max(old.length, offset + value.length)];
        System.arraycopy(old, 0, updated, 0, old.length);
        System.arraycopy(value, 0, updated, (int) offset, value.length);
        db.setBuiltInPlace(key, updated);
        c.notify(Notifications.STRING, "setrange", key);
        c.reply.integer(updated.length);
    }

    /** APPEND key value: a missing key is created with the value as is (no length check, as in Redis). */
    static void append(CommandContext c) {
        byte[] key = c.argv[1];
        byte[] value = c.argv[2];
        Keyspace db = c.db();
        byte[] old = c.lookupWrite(key, byte[].class);
        if (old == null) {
            db.set(key, value);
            c.notify(Notifications.STRING, "append", key);
            c.reply.integer(value.length);
            return;
        }
        checkStringLength(c, old.length, value.length);
        byte[] joined = new byte[old.length + value.length];
        System.arraycopy(old, 0, joined, 0, old.length);
        System.arraycopy(value, 0, joined, old.length, value.length);
        db.setBuiltInPlace(key, joined); // Redis appends to its own (unshared, raw) copy of the string
        c.notify(Notifications.STRING, "append", key);
        c.reply.integer(joined.length);
    }
}
