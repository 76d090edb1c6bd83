package io.cascade.conf;

import java.nio.charset.StandardCharsets;

/**
 * Redis's glob matcher (stringmatchlen of 7.0.15): {@code *}, {@code ?}, {@code [...]} with ranges and {@code ^},
 * {@code \} escapes. Pure function, safe on any thread (KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET, CLIENT KILL...).
 *
 * <p>Redis recurses once per {@code *} and, since 7.0.9, gives up as soon as a nested {@code *} has tried every
 * position ("skipLongerMatches"). That makes the recursion equivalent to remembering only the most recent
 * {@code *}, which is what this loop does, so deep patterns cannot overflow the Java stack.
 */
public final class Glob {
    private Glob() {
    }

    /** Matches a String pattern against a String, both taken as UTF-8 bytes. */
    public static boolean match(String pattern, String string, boolean nocase) {
        return match(pattern.getBytes(StandardCharsets.UTF_8), string.getBytes(StandardCharsets.UTF_8), nocase);
    }

    public static boolean match(byte[] pattern, byte[] string, boolean nocase) {
        return match(pattern, 0, pattern.length, string, 0, string.length, nocase);
    }

    /** Matches pattern[poff, poff+plen) against string[soff, soff+slen). */
    public static boolean match(byte[] pattern, int poff, int plen, byte[] string, int soff, int slen, boolean nocase) {
        return new Run(pattern, poff + plen, string, soff + slen, nocase).match(poff, soff);
    }

    /** One matching attempt; holds the position of the most recent '*' between steps. */
    private static final class Run {
        private static final int FAIL = -1;
        private static final int STAR = -2;

        private final byte[] pat;
        private final int pend;
        private final byte[] str;
        private final int send;
        private final boolean nocase;
        private int starP = -1; // pattern index just after the most recent '*'
        private int starS = -1; // string index that '*' hands to the rest of the pattern

        Run(byte[] pat, int pend, byte[] str, int send, boolean nocase) {
            this.pat = pat;
            this.pend = pend;
            this.str = str;
            this.send = send;
            this.nocase = nocase;
        }

        boolean match(int p, int s) {
            while (true) {
                int r = step(p, s);
                if (r >= 0) {
                    return r == 1;
                }
                if (r == FAIL) {
                    // Only the most recent '*' may absorb one more byte (see the class comment).
                    if (starP < 0 || ++starS >= send) {
                        return false;
                    }
                }
                p = starP;
                s = starS;
            }
        }

        /** The byte at i, or 0 past the end: C reads the terminating NUL there, and some checks rely on it. */
        private int at(int i) {
            return i < pend ? pat[i] : 0;
        }

        /**
         * Runs from (p, s) until decided: 1 match, FAIL a mismatch an earlier '*' may fix, STAR when a '*'
         * followed by more pattern was reached (starP/starS then say where to go on).
         */
        private int step(int p, int s) {
            while (p < pend && s < send) {
                int c = pat[p];
                switch (c) {
                    case '*' -> {
                        while (at(p + 1) == '*') {
                            p++;
                        }
                        if (pend - p == 1) {
                            return 1;
                        }
                        starP = p + 1;
                        starS = s;
                        return STAR;
                    }
                    case '?' -> s++;
                    case '[' -> {
                        p = bracket(p + 1, str[s]);
                        if (p < 0) {
                            return FAIL;
                        }
                        s++;
                    }
                    case '\\' -> {
                        if (pend - p >= 2) {
                            p++;
                        }
                        if (!literal(pat[p], str[s], nocase)) {
                            return FAIL;
                        }
                        s++;
                    }
                    default -> {
                        if (!literal(c, str[s], nocase)) {
                            return FAIL;
                        }
                        s++;
                    }
                }
                p++;
                if (s == send) {
                    while (p < pend && pat[p] == '*') {
                        p++;
                    }
                    break;
                }
            }
            return p >= pend && s == send ? 1 : FAIL;
        }

        /** Matches one byte against the class starting at p (just after '['); returns the index of its last byte or -1. */
        private int bracket(int p, int sc) {
            boolean not = at(p) == '^';
            if (not) {
                p++;
            }
            boolean matched = false;
            while (true) {
                int pc = at(p);
                if (pc == '\\' && pend - p >= 2) {
                    p++;
                    // Redis compares an escaped byte inside brackets case-sensitively, even with nocase.
                    if (pat[p] == sc) {
                        matched = true;
                    }
                } else if (pc == ']') {
                    break;
                } else if (p >= pend) {
                    p--; // unterminated class: the caller's p++ lands on the end
                    break;
                } else if (pend - p >= 3 && pat[p + 1] == '-') {
                    int start = pat[p];
                    int end = pat[p + 2];
                    int ch = sc;
                    if (start > end) {
                        int t = start;
                        start = end;
                        end = t;
                    }
                    if (nocase) {
                        start = lower(start);
                        end = lower(end);
                        ch = lower(ch);
                    }
                    p += 2;
                    if (ch >= start && ch <= end) {
                        matched = true;
                    }
                } else if (literal(pc, sc, nocase)) {
                    matched = true;
                }
                p++;
            }
            return matched != not ? p : -1;
        }
    }

    /**
     * tolower() of glibc in the C locale on a (signed) C char: ASCII letters are lowered, and a negative char
     * (a byte >= 0x80) comes back as its unsigned value. Only ranges under nocase can tell the difference.
     */
    private static int lower(int c) {
        if (c < 0) {
            return c + 256;
        }
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private static boolean literal(int pc, int sc, boolean nocase) {
        return nocase ? lower(pc) == lower(sc) : pc == sc;
    }
}
