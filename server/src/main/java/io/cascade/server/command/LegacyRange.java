package io.cascade.server.command;

import java.util.List;

/**
 * The first key, last key and step COMMAND INFO shows beside the key specs, and whether the command has
 * movable keys, derived from the key specs as Redis's populateCommandLegacyRangeSpec does: one plain range
 * spec is the range; otherwise consecutive step-1 index ranges are joined, and any other spec (keyword,
 * keynum, unknown, a step other than 1, a gap, "incomplete") makes the keys movable. Immutable.
 */
record LegacyRange(int first, int last, int step, boolean movable) {

    static LegacyRange of(List<KeySpec> specs) {
        if (specs.isEmpty()) {
            return new LegacyRange(0, 0, 0, false);
        }
        if (specs.size() == 1 && specs.get(0).isIndexRange()) {
            KeySpec ks = specs.get(0);
            return new LegacyRange(ks.beginIndex(), absolute(ks), ks.keyStep(), ks.has("incomplete"));
        }
        boolean movable = false;
        int first = Integer.MAX_VALUE;
        int last = 0;
        int prevLast = 0;
        for (KeySpec ks : specs) {
            if (!ks.isIndexRange() || ks.keyStep() != 1 || (prevLast != 0 && prevLast != ks.beginIndex() - 1)) {
                movable = true;
                continue;
            }
            movable |= ks.has("incomplete");
            first = Math.min(first, ks.beginIndex());
            // Redis compares unsigned, so "to the end" (negative) wins over any index
            last = Integer.compareUnsigned(last, absolute(ks)) >= 0 ? last : absolute(ks);
            prevLast = last;
        }
        if (first == Integer.MAX_VALUE) {
            return new LegacyRange(0, 0, 0, true);
        }
        return new LegacyRange(first, last, 1, movable);
    }

    /** The spec's last key as an argument index, or negative counting from the end. */
    private static int absolute(KeySpec ks) {
        return ks.lastKey() >= 0 ? ks.beginIndex() + ks.lastKey() : ks.lastKey();
    }
}
