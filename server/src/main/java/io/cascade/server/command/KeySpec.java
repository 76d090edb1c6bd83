package io.cascade.server.command;

import java.util.List;

/**
 * One key specification of COMMAND INFO (Redis 7.0): where the keys begin (an argument index) and how they
 * run from there (a range: last key relative to the first, or -1 for the end; a step; a limit), with the
 * access flags (RO, RW, OW, RM, access, update, insert, delete, ...). Immutable.
 */
public record KeySpec(List<String> flags, int beginIndex, int lastKey, int keyStep, int limit, String notes) {

    public KeySpec(List<String> flags, int beginIndex, int lastKey, int keyStep, int limit) {
        this(flags, beginIndex, lastKey, keyStep, limit, null);
    }

    /** A spec of type "unknown" (beginIndex -1): the keys derive from data or may be anywhere (SORT). */
    public static KeySpec unknown(String flags, String notes) {
        return new KeySpec(List.of(flags.trim().split("\\s+")), -1, 0, 0, 0, notes);
    }

    public boolean isUnknown() {
        return beginIndex < 0;
    }

    /** A spec for keys from argument {@code first} to {@code last} (negative: from the end), every {@code step}. */
    public static KeySpec range(String flags, int first, int last, int step) {
        return new KeySpec(List.of(flags.trim().split("\\s+")), first, last < 0 ? last : last - first, step, 0, null);
    }

    /** The same spec with the "notes" text COMMAND INFO shows first (e.g. SET's, on its GET argument). */
    public KeySpec withNotes(String text) {
        return new KeySpec(flags, beginIndex, lastKey, keyStep, limit, text);
    }
}
