package io.cascade.server.command;

import java.util.List;

/**
 * One key specification of COMMAND INFO (Redis 7.0): where the keys begin (an argument index) and how they
 * run from there: a range (last key relative to the first, or -1 for the end; a step; a limit), or a keynum
 * (the number of keys is the argument at keynumIdx after the beginning, the keys start at firstKey after it,
 * every keyStep), with the access flags (RO, RW, OW, RM, access, update, insert, delete, ...). Immutable.
 */
public record KeySpec(List<String> flags, int beginIndex, int lastKey, int keyStep, int limit, int keynumIdx,
                      int firstKey) {

    /** A range spec (keynumIdx -1). */
    public KeySpec(List<String> flags, int beginIndex, int lastKey, int keyStep, int limit) {
        this(flags, beginIndex, lastKey, keyStep, limit, -1, 0);
    }

    /** A spec for keys from argument {@code first} to {@code last} (negative: from the end), every {@code step}. */
    public static KeySpec range(String flags, int first, int last, int step) {
        return new KeySpec(List.of(flags.trim().split("\\s+")), first, last < 0 ? last : last - first, step, 0);
    }

    /** A keynum spec, as SINTERCARD's "numkeys key [key ...]". */
    public static KeySpec keynum(String flags, int begin, int keynumIdx, int firstKey, int step) {
        return new KeySpec(List.of(flags.trim().split("\\s+")), begin, 0, step, 0, keynumIdx, firstKey);
    }

    public boolean isKeynum() {
        return keynumIdx >= 0;
    }
}
