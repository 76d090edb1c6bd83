package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.storage.types.RZSet;
import io.cascade.storage.types.ZNode;

import java.util.concurrent.ThreadLocalRandom;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * ZRANDMEMBER key [count [WITHSCORES]] (zrandmemberCommand): one member, count distinct members (the whole
 * set from the highest score down when count reaches its size), or -count members drawn with repetition.
 * Command thread.
 */
final class ZRandMemberCommand {
    private ZRandMemberCommand() {
    }

    static void register(CommandTable t) {
        t.add(cmd("zrandmember", -2, "readonly", ZRandMemberCommand::zrandmember).keys(1, 1, 1, "RO access")
                .acl("sortedset").tips("nondeterministic_output")
                .doc("Get one or multiple random elements from a sorted set", "6.2.0", "sorted-set",
                        "O(N) where N is the number of elements returned", "key:key [count:integer [WITHSCORES]]"));
    }

    static void zrandmember(CommandContext c) {
        if (c.argc() >= 3) {
            long l = RandomPicks.countArg(c, 2);
            boolean withScores = false;
            if (c.argc() > 4 || (c.argc() == 4 && !c.argIs(3, "withscores"))) {
                throw new CommandException(Errors.SYNTAX);
            } else if (c.argc() == 4) {
                withScores = true;
                if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
                    throw new CommandException("ERR value is out of range");
                }
            }
            withCount(c, l, withScores);
            return;
        }
        RZSet z = c.lookup(c.argv[1], RZSet.class);
        if (z == null) {
            c.reply.nullBulk();
            return;
        }
        c.reply.bulk(z.random(ThreadLocalRandom.current()).member());
    }

    private static void withCount(CommandContext c, long l, boolean withScores) {
        RZSet z = c.lookup(c.argv[1], RZSet.class);
        if (z == null || l == 0) {
            c.reply.array(0);
            return;
        }
        int size = z.size();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (l < 0 || l == 1) {
            long count = l < 0 ? -l : 1;
            long n = withScores && !c.reply.resp3() ? count * 2 : count;
            c.reply.array((int) Math.min(n, Integer.MAX_VALUE));
            for (long i = 0; i < count; i++) {
                ZNode e = z.random(random);
                ZScores.entry(c.reply, e.member(), e.score(), withScores);
            }
            return;
        }
        if (l >= size) {
            ZScores.header(c.reply, size, withScores);
            // Redis's zset iterator (zuiNext) walks from the highest score down
            z.forEachReverse((m, s) -> ZScores.entry(c.reply, m, s, withScores));
            return;
        }
        int count = (int) l;
        ZScores.header(c.reply, count, withScores);
        for (int i : RandomPicks.distinct(size, count, random)) {
            ZNode e = z.byRank(i);
            ZScores.entry(c.reply, e.member(), e.score(), withScores);
        }
    }
}
