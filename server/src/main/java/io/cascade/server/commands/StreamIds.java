package io.cascade.server.commands;

import io.cascade.server.command.CommandException;
import io.cascade.server.command.Numbers;
import io.cascade.storage.types.StreamId;

import java.util.Arrays;

/**
 * Stream ID arguments as t_stream.c's streamGenericParseIDOrReply reads them: "ms-seq", "ms" (the sequence then
 * given by the caller), "-" and "+" unless strict, "ms-*" where the caller allows it, and the "(" prefix of an
 * exclusive interval bound. Each number is read by string2ull, so leading zeros, spaces and a sign that strtoull
 * accepts pass, as in Redis. Pure functions, any thread.
 */
final class StreamIds {
    static final String INVALID = "ERR Invalid stream ID specified as stream command argument";

    private StreamIds() {
    }

    /** What streamParseStrictIDOrReply found with a seq_given pointer: the ID and whether "-*" was absent. */
    record Parsed(StreamId id, boolean seqGiven) {
    }

    /** streamParseIDOrReply: "-" and "+" allowed. */
    static StreamId parse(byte[] arg, long missingSeq) {
        return parse(arg, missingSeq, false, false).id();
    }

    /** streamParseStrictIDOrReply without seq_given. */
    static StreamId parseStrict(byte[] arg, long missingSeq) {
        return parse(arg, missingSeq, true, false).id();
    }

    /** As parseStrict, or null instead of the error (XCLAIM's IDs, where the options begin). */
    static StreamId tryParseStrict(byte[] arg) {
        try {
            return parseStrict(arg, 0);
        } catch (CommandException e) {
            return null;
        }
    }

    /** streamGenericParseIDOrReply; allowSeqWildcard is a non-NULL seq_given (XADD's ID). */
    static Parsed parse(byte[] arg, long missingSeq, boolean strict, boolean allowSeqWildcard) {
        if (arg.length > 127) {
            throw new CommandException(INVALID);
        }
        int len = 0;
        while (len < arg.length && arg[len] != 0) {
            len++; // a C string ends at its first NUL
        }
        if (strict && len == 1 && (arg[0] == '-' || arg[0] == '+')) {
            throw new CommandException(INVALID);
        }
        if (len == 1 && arg[0] == '-') {
            return new Parsed(StreamId.MIN, true);
        }
        if (len == 1 && arg[0] == '+') {
            return new Parsed(StreamId.MAX, true);
        }
        int dash = -1;
        for (int i = 0; i < len; i++) {
            if (arg[i] == '-') {
                dash = i;
                break;
            }
        }
        Long ms = string2ull(arg, 0, dash < 0 ? len : dash);
        if (ms == null) {
            throw new CommandException(INVALID);
        }
        if (dash < 0) {
            return new Parsed(new StreamId(ms, missingSeq), true);
        }
        if (allowSeqWildcard && len - dash - 1 == 1 && arg[dash + 1] == '*') {
            return new Parsed(new StreamId(ms, 0), false);
        }
        Long seq = string2ull(arg, dash + 1, len);
        if (seq == null) {
            throw new CommandException(INVALID);
        }
        return new Parsed(new StreamId(ms, seq), true);
    }

    /** What a range bound parses to: the ID and whether it was exclusive ("(" prefix). */
    record Bound(StreamId id, boolean exclusive) {
    }

    /** streamParseIntervalIDOrReply: "(id" is exclusive and strict; otherwise "-" and "+" are allowed. */
    static Bound interval(byte[] arg, long missingSeq) {
        if (arg.length > 1 && arg[0] == '(') {
            byte[] rest = Arrays.copyOfRange(arg, 1, arg.length);
            return new Bound(parse(rest, missingSeq, true, false).id(), true);
        }
        return new Bound(parse(arg, missingSeq), false);
    }

    /** A start bound: exclusive moves it up (streamIncrID), with Redis's error when it cannot. */
    static StreamId startBound(byte[] arg) {
        Bound b = interval(arg, 0);
        if (!b.exclusive()) {
            return b.id();
        }
        StreamId n = b.id().incr();
        if (n == null) {
            throw new CommandException("ERR invalid start ID for the interval");
        }
        return n;
    }

    /** An end bound: a missing sequence is the maximum, exclusive moves it down (streamDecrID). */
    static StreamId endBound(byte[] arg) {
        Bound b = interval(arg, -1L);
        if (!b.exclusive()) {
            return b.id();
        }
        StreamId n = b.id().decr();
        if (n == null) {
            throw new CommandException("ERR invalid end ID for the interval");
        }
        return n;
    }

    /**
     * Redis's string2ull: a canonical signed 64-bit number unless negative, else what strtoull accepts in base 10
     * (leading white space, a sign, leading zeros; "-n" wraps modulo 2^64), up to 2^64-1; null when neither.
     */
    static Long string2ull(byte[] b, int from, int to) {
        Long strict = canonicalLong(b, from, to);
        if (strict != null) {
            return strict < 0 ? null : strict;
        }
        int p = from;
        while (p < to && isSpace(b[p])) {
            p++;
        }
        boolean negative = false;
        if (p < to && (b[p] == '+' || b[p] == '-')) {
            negative = b[p] == '-';
            p++;
        }
        if (p >= to) {
            return null; // no digits: endptr stays at the start, *endptr != '\0' unless the string was empty
        }
        long v = 0;
        for (int i = p; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                return null; // ERANGE
            }
            long next = v * 10 + d;
            if (Long.compareUnsigned(next, v * 10) < 0) {
                return null; // ERANGE
            }
            v = next;
        }
        return negative ? -v : v;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    /** Redis's string2ll on a slice: no spaces, no '+', no leading zeros, within the signed range. */
    private static Long canonicalLong(byte[] b, int from, int to) {
        return Numbers.parseLong(Arrays.copyOfRange(b, from, to));
    }
}
