package io.cascade.server.command;

import java.util.List;

/**
 * One key specification of COMMAND INFO (Redis 7.0): where the keys begin (an argument index, or unknown) and
 * how they run from there: a range (last key relative to the first, or -1 for the end; a step; a limit), or a
 * keynum (the number of keys is the argument at keynumIdx after the beginning, the keys start at firstKey
 * after it, every keyStep), with the access flags (RO, RW, OW, RM, access, update, insert, delete, ...) and
 * Redis's optional notes. Immutable.
 */
public record KeySpec(List<String> flags, int beginIndex, int lastKey, int keyStep, int limit, int keynumIdx,
                      int firstKey, String notes, String keyword) {

    /** A range spec (keynumIdx -1) without notes. */
    public KeySpec(List<String> flags, int beginIndex, int lastKey, int keyStep, int limit) {
        this(flags, beginIndex, lastKey, keyStep, limit, -1, 0, null, null);
    }

    /** A spec for keys from argument {@code first} to {@code last} (negative: from the end), every {@code step}. */
    public static KeySpec range(String flags, int first, int last, int step) {
        return new KeySpec(words(flags), first, last < 0 ? last : last - first, step, 0);
    }

    /** A keynum spec, as SINTERCARD's "numkeys key [key ...]". */
    public static KeySpec keynum(String flags, int begin, int keynumIdx, int firstKey, int step) {
        return new KeySpec(words(flags), begin, 0, step, 0, keynumIdx, firstKey, null, null);
    }

    /** A spec of type "unknown" (beginIndex -1): the keys derive from data or may be anywhere (SORT). */
    public static KeySpec unknown(String flags, String notes) {
        return new KeySpec(words(flags), -1, 0, 0, 0, -1, 0, notes, null);
    }

    /** The same spec with the "notes" text COMMAND INFO shows first (e.g. SET's, on its GET argument). */
    public KeySpec withNotes(String text) {
        return new KeySpec(flags, beginIndex, lastKey, keyStep, limit, keynumIdx, firstKey, text, keyword);
    }

    /**
     * A spec whose keys begin after a keyword searched from startFrom (XREAD's "STREAMS"): a range to lastKey
     * (-1: the end) every step, limited to 1/limit of what is left (XREAD: the keys are the first half).
     */
    public static KeySpec keyword(String flags, String keyword, int startFrom, int lastKey, int step, int limit) {
        return new KeySpec(words(flags), startFrom, lastKey, step, limit, -1, 0, null, keyword);
    }

    public boolean isKeyword() {
        return keyword != null;
    }

    public boolean isKeynum() {
        return keynumIdx >= 0;
    }

    public boolean isUnknown() {
        return beginIndex < 0;
    }

    private static List<String> words(String flags) {
        return List.of(flags.trim().split("\\s+"));
    }
}
