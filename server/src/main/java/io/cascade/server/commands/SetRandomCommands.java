package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.Errors;
import io.cascade.storage.Keyspace;
import io.cascade.storage.types.Ints;
import io.cascade.storage.types.RSet;

import java.util.concurrent.ThreadLocalRandom;

/**
 * SPOP and SRANDMEMBER (t_set.c), with their count variants: SPOP's count pops distinct members (a set reply),
 * SRANDMEMBER's negative count may repeat members (an array). Command thread.
 */
final class SetRandomCommands {
    /** As Redis: popping more than this share of the set rebuilds the rest instead of popping one by one. */
    private static final int SPOP_MOVE_STRATEGY_MUL = 5;

    private SetRandomCommands() {
    }

    static void spop(CommandContext c) {
        if (c.argc() == 3) {
            spopWithCount(c);
            return;
        } else if (c.argc() > 3) {
            throw new CommandException(Errors.SYNTAX);
        }
        byte[] key = c.argv[1];
        RSet s = c.lookupWrite(key, RSet.class);
        if (s == null) {
            c.reply.nullBulk();
            return;
        }
        byte[] m = s.random(ThreadLocalRandom.current());
        s.remove(m);
        c.db().update(key, s);
        c.notify(Notifications.SET, "spop", key);
        c.reply.bulk(m);
        if (s.size() == 0) {
            c.notify(Notifications.GENERIC, "del", key);
        }
        // the replicas must remove the same member: SREM k m (even when it was the last one, no DEL)
        c.server.propagation.rewrite(Rewrites.SREM, key, m);
    }

    private static void spopWithCount(CommandContext c) {
        Long l = Ints.parse(c.argv[2]);
        // getPositiveLongFromObjectOrReply gives its range message for a non-integer too
        if (l == null || l < 0) {
            throw new CommandException("ERR value is out of range, must be positive");
        }
        byte[] key = c.argv[1];
        Keyspace db = c.db();
        RSet s = c.lookupWrite(key, RSet.class);
        if (s == null || l == 0) {
            c.reply.set(0);
            return;
        }
        int size = s.size();
        c.notify(Notifications.SET, "spop", key);
        if (l >= size) {
            // the whole set, as SUNION of it would answer, and the key goes
            SetAlgebraCommands.reply(c, SetAlgebraCommands.union(s));
            db.delete(key);
            c.notify(Notifications.GENERIC, "del", key);
            // the whole set goes: one DEL (always DEL, whatever lazyfree-lazy-user-del says, as Redis)
            c.server.propagation.rewrite(Rewrites.DEL, key);
            return;
        }
        int count = l.intValue();
        int remaining = size - count;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        c.reply.set(count);
        if ((long) remaining * SPOP_MOVE_STRATEGY_MUL > count) {
            for (int i = 0; i < count; i++) {
                byte[] m = s.random(random);
                s.remove(m);
                c.reply.bulk(m);
                srem(c, key, m);
            }
            db.update(key, s);
            c.server.propagation.prevent();
            return;
        }
        // Popping most of the set: Redis moves the members that stay into a new set (created for the first of
        // them, so an intset when it is an integer) and replies the rest in the old set's order.
        RSet kept = null;
        for (int i = 0; i < remaining; i++) {
            byte[] m = s.random(random);
            if (kept == null) {
                kept = RSet.createFor(m);
            }
            kept.add(m);
            s.remove(m);
        }
        s.forEach(m -> {
            c.reply.bulk(m);
            srem(c, key, m);
        });
        db.update(key, kept);
        c.server.propagation.prevent();
    }

    /**
     * SPOP with a count below the set's size travels as one SREM per popped member, in reply order, in the
     * command's unit (so in MULTI/EXEC when more than one), and never as itself (alsoPropagate plus
     * preventCommandPropagation in Redis).
     */
    private static void srem(CommandContext c, byte[] key, byte[] member) {
        c.server.propagation.also(c.client.db, Rewrites.SREM, key, member);
    }

    static void srandmember(CommandContext c) {
        if (c.argc() == 3) {
            srandmemberWithCount(c);
            return;
        } else if (c.argc() > 3) {
            throw new CommandException(Errors.SYNTAX);
        }
        RSet s = c.lookup(c.argv[1], RSet.class);
        c.reply.bulk(s == null ? null : s.random(ThreadLocalRandom.current()));
    }

    private static void srandmemberWithCount(CommandContext c) {
        long l = RandomPicks.countArg(c, 2);
        RSet s = c.lookup(c.argv[1], RSet.class);
        if (s == null || l == 0) {
            c.reply.array(0);
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int size = s.size();
        if (l < 0 || l == 1) {
            long count = l < 0 ? -l : 1;
            c.reply.array((int) Math.min(count, Integer.MAX_VALUE));
            for (long i = 0; i < count; i++) {
                c.reply.bulk(s.random(random));
            }
            return;
        }
        if (l >= size) {
            c.reply.array(size);
            s.forEach(c.reply::bulk);
            return;
        }
        int count = (int) l;
        c.reply.array(count);
        for (int i : RandomPicks.distinct(size, count, random)) {
            c.reply.bulk(s.at(i));
        }
    }
}
