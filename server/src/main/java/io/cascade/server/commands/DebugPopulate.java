package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.Numbers;
import io.cascade.storage.Keyspace;

import java.nio.charset.StandardCharsets;

/**
 * DEBUG POPULATE count [prefix] [size]: string keys prefix:N holding "value:N" (or that text cut or zero-padded to
 * size bytes), skipping keys that exist; tests use it to fill a dataset fast. Command thread.
 */
final class DebugPopulate {
    private DebugPopulate() {
    }

    static void run(CommandContext c) {
        Long keys = positive(c, 2);
        if (keys == null) {
            return;
        }
        long size = 0;
        if (c.argc() == 5) {
            Long s = positive(c, 4);
            if (s == null) {
                return;
            }
            size = s;
        }
        String prefix = c.argc() == 3 ? "key" : c.arg(3);
        Keyspace db = c.db();
        long added = 0;
        for (long j = 0; j < keys; j++) {
            byte[] key = (prefix + ":" + j).getBytes(StandardCharsets.UTF_8);
            if (db.exists(key)) { // lookupKeyWrite: an expired key is deleted, then replaced
                continue;
            }
            byte[] text = ("value:" + j).getBytes(StandardCharsets.US_ASCII);
            byte[] value = text;
            if (size > 0) {
                value = new byte[(int) Math.min(size, Integer.MAX_VALUE - 8)];
                System.arraycopy(text, 0, value, 0, Math.min(text.length, value.length));
            }
            db.set(key, value);
            added++;
        }
        // Redis adds these keys with dbAdd, which does not count them as changes since the last save
        c.server.dirty -= added;
        c.ok();
    }

    /** getPositiveLongFromObjectOrReply without a message: one error text for "not a number" and "negative". */
    private static Long positive(CommandContext c, int i) {
        Long v = Numbers.parseLong(c.argv[i]);
        if (v == null || v < 0) {
            c.reply.error("ERR value is out of range, must be positive");
            return null;
        }
        return v;
    }
}
