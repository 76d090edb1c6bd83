package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.Errors;
import io.cascade.storage.types.Dict;
import io.cascade.storage.types.RHash;

import java.util.concurrent.ThreadLocalRandom;

/**
 * HRANDFIELD key [count [WITHVALUES]] (hrandfieldCommand): a negative count may repeat fields, a positive one
 * returns distinct fields; with values RESP3 nests each pair in an array while RESP2 flattens. Command thread.
 */
final class HrandfieldCommand {
    private HrandfieldCommand() {
    }

    static void hrandfield(CommandContext c) {
        if (c.argc() >= 3) {
            long l = RandomPicks.countArg(c, 2);
            boolean withValues = false;
            if (c.argc() > 4 || (c.argc() == 4 && !c.argIs(3, "withvalues"))) {
                throw new CommandException(Errors.SYNTAX);
            } else if (c.argc() == 4) {
                withValues = true;
                // the reply doubles the count: Redis refuses counts whose double would overflow
                if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
                    throw new CommandException("ERR value is out of range");
                }
            }
            withCount(c, l, withValues);
            return;
        }
        RHash h = c.lookup(c.argv[1], RHash.class);
        if (h == null) {
            c.reply.nullBulk();
            return;
        }
        c.reply.bulk(h.random(ThreadLocalRandom.current()).key);
    }

    private static void withCount(CommandContext c, long l, boolean withValues) {
        RHash h = c.lookup(c.argv[1], RHash.class);
        if (h == null || l == 0) {
            c.reply.array(0);
            return;
        }
        int size = h.size();
        boolean resp3 = c.reply.resp3();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (l < 0 || l == 1) {
            long count = l < 0 ? -l : 1;
            header(c, count, withValues);
            for (long i = 0; i < count; i++) {
                pair(c, h.random(random), withValues, resp3);
            }
            return;
        }
        if (l >= size) {
            header(c, size, withValues);
            for (int i = 0; i < size; i++) {
                pair(c, h.at(i), withValues, resp3);
            }
            return;
        }
        int count = (int) l;
        header(c, count, withValues);
        for (int i : RandomPicks.distinct(size, count, random)) {
            pair(c, h.at(i), withValues, resp3);
        }
    }

    private static void header(CommandContext c, long count, boolean withValues) {
        long n = withValues && !c.reply.resp3() ? count * 2 : count;
        c.reply.array((int) Math.min(n, Integer.MAX_VALUE));
    }

    private static void pair(CommandContext c, Dict.Entry e, boolean withValues, boolean resp3) {
        if (withValues && resp3) {
            c.reply.array(2);
        }
        c.reply.bulk(e.key);
        if (withValues) {
            c.reply.bulk(e.value());
        }
    }
}
