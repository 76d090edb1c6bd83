package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.Errors;
import io.cascade.storage.types.Ints;

import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Shared parts of HRANDFIELD, SRANDMEMBER and SPOP: their count argument and distinct random positions. Pure. */
final class RandomPicks {
    private RandomPicks() {
    }

    /**
     * A count as getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX): Long.MIN_VALUE cannot be negated, so it is
     * out of range.
     */
    static long countArg(CommandContext c, int i) {
        Long l = Ints.parse(c.argv[i]);
        if (l == null) {
            throw new CommandException(Errors.NOT_INTEGER);
        }
        if (l == Long.MIN_VALUE) {
            throw new CommandException("ERR value is out of range, value must between -9223372036854775807 and "
                    + "9223372036854775807");
        }
        return l;
    }

    /**
     * count distinct positions out of 0..size-1 (count < size), in random order. Like Redis, a count close to
     * the size removes random positions from the whole range instead of drawing until enough are distinct.
     */
    static int[] distinct(int size, int count, RandomGenerator random) {
        int[] out = new int[count];
        if ((long) count * 3 > size) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            // partial Fisher-Yates: the first count slots end up a uniform random sample
            for (int i = 0; i < count; i++) {
                int j = i + random.nextInt(size - i);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
                out[i] = all[i];
            }
            return out;
        }
        Set<Integer> seen = new HashSet<>(count * 2);
        int n = 0;
        while (n < count) {
            int p = random.nextInt(size);
            if (seen.add(p)) {
                out[n++] = p;
            }
        }
        return out;
    }
}
