package io.cascade.server.command;

import java.util.List;

/**
 * One key specification of COMMAND INFO (Redis 7.0): where the keys begin (an argument index) and how they
 * run from there (a range: last key relative to the first, or -1 for the end; a step; a limit; or, when
 * keynum is set, a count of keys given in an argument), with the access flags (RO, RW, OW, RM, access,
 * update, insert, delete, ...). Immutable.
 */
public record KeySpec(List<String> flags, int beginIndex, int lastKey, int keyStep, int limit, Keynum keynum) {
    /** find_keys of type keynum: the key count is at begin+keynumIdx, the keys start at begin+firstKey. */
    public record Keynum(int keynumIdx, int firstKey, int keyStep) {
    }

    public KeySpec(List<String> flags, int beginIndex, int lastKey, int keyStep, int limit) {
        this(flags, beginIndex, lastKey, keyStep, limit, null);
    }

    /** A spec for keys from argument {@code first} to {@code last} (negative: from the end), every {@code step}. */
    public static KeySpec range(String flags, int first, int last, int step) {
        return new KeySpec(List.of(flags.trim().split("\\s+")), first, last < 0 ? last : last - first, step, 0);
    }

    /** A spec whose key count is an argument (LMPOP, ZUNION, EVAL ...): begin_search index, find_keys keynum. */
    public static KeySpec keynum(String flags, int begin, int keynumIdx, int firstKey, int step) {
        return new KeySpec(List.of(flags.trim().split("\\s+")), begin, 0, 0, 0, new Keynum(keynumIdx, firstKey, step));
    }
}
