package io.cascade.server.command;

import java.util.List;

/**
 * One key specification of COMMAND INFO (Redis 7.0). begin_search: an argument index, a keyword searched from
 * {@code startFrom} (negative: from the end, backwards), or unknown. find_keys: a range (last key relative to
 * the beginning, or negative from the end; a step; a limit dividing what is left), or a keynum (the number of
 * keys is the argument at keynumIdx after the beginning, the keys start at firstKey after it, every keyStep).
 * The flags are the access words (RO, RW, OW, RM, access, update, insert, delete, not_key, incomplete,
 * variable_flags); notes is Redis's optional text. Immutable.
 */
public record KeySpec(List<String> flags, int beginIndex, String keyword, int startFrom, int lastKey, int keyStep,
                      int limit, int keynumIdx, int firstKey, String notes) {

    /** A spec for keys from argument {@code first} to {@code last} (negative: from the end), every {@code step}. */
    public static KeySpec range(String flags, int first, int last, int step) {
        return new KeySpec(words(flags), first, null, 0, last < 0 ? last : last - first, step, 0, -1, 0, null);
    }

    /** A keynum spec, as SINTERCARD's "numkeys key [key ...]". */
    public static KeySpec keynum(String flags, int begin, int keynumIdx, int firstKey, int step) {
        return new KeySpec(words(flags), begin, null, 0, 0, step, 0, keynumIdx, firstKey, null);
    }

    /**
     * A spec whose keys follow a keyword (XREAD's STREAMS, GEORADIUS's STORE): the keyword is searched from
     * argument {@code startFrom} (negative: from the end, backwards) and the keys found as a range from the
     * argument after it (lastKey relative to it, or negative from the end; limit as Redis's range limit).
     */
    public static KeySpec keyword(String flags, String keyword, int startFrom, int lastKey, int step, int limit) {
        return new KeySpec(words(flags), 0, keyword, startFrom, lastKey, step, limit, -1, 0, null);
    }

    /** A spec of type "unknown": the keys derive from data or may be anywhere (SORT). */
    public static KeySpec unknown(String flags, String notes) {
        return new KeySpec(words(flags), -1, null, 0, 0, 0, 0, -1, 0, notes);
    }

    /** The same spec with the "notes" text COMMAND INFO shows first (e.g. SET's, on its GET argument). */
    public KeySpec withNotes(String text) {
        return new KeySpec(flags, beginIndex, keyword, startFrom, lastKey, keyStep, limit, keynumIdx, firstKey, text);
    }

    public boolean isKeyword() {
        return keyword != null;
    }

    /** begin_search of type "index" with find_keys of type "range": the only kind the legacy range covers. */
    public boolean isIndexRange() {
        return !isUnknown() && !isKeyword() && !isKeynum();
    }

    public boolean isKeynum() {
        return keynumIdx >= 0;
    }

    public boolean isUnknown() {
        return beginIndex < 0;
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    /** The flags as KeyFlags bits. */
    public int flagBits() {
        return KeyFlags.bits(flags);
    }

    private static List<String> words(String flags) {
        return List.of(flags.trim().split("\\s+"));
    }
}
