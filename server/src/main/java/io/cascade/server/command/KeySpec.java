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

    /** The same spec with Redis's "notes" text, which COMMAND INFO shows first. */
    public KeySpec withNotes(String text) {
        return new KeySpec(flags, beginIndex, lastKey, keyStep, limit, text);
    }

    /** A spec for keys from argument {@code first} to {@code last} (negative: from the end), every {@code step}. */
    public static KeySpec range(String flags, int first, int last, int step) {
        return new KeySpec(List.of(flags.trim().split("\\s+")), first, last < 0 ? last : last - first, step, 0);
    }
}
