package io.cascade.server.command;

/**
 * Redis reads some arguments as C strings, which end at the first NUL byte: strcasecmp against an option
 * name, atoi of a count. These helpers do the same so that such arguments are judged as Redis judges them.
 * Pure functions.
 */
public final class CString {
    private CString() {
    }

    /** The length C sees: up to the first NUL. */
    public static int length(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return b.length;
    }

    /** strcasecmp(arg, word) == 0, for an ASCII word. */
    public static boolean equalsIgnoreCase(byte[] arg, String word) {
        int n = length(arg);
        if (n != word.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (lower(arg[i] & 0xff) != lower(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** atoi: leading white space, an optional sign, digits up to the first other byte; 0 when none. */
    public static int atoi(byte[] b) {
        int n = length(b);
        int i = 0;
        while (i < n && isSpace(b[i])) {
            i++;
        }
        boolean negative = false;
        if (i < n && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        long v = 0;
        for (; i < n && b[i] >= '0' && b[i] <= '9'; i++) {
            // glibc's strtol saturates at the long range; atoi then keeps the low 32 bits
            v = v > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : v * 10 + (b[i] - '0');
        }
        long signed = negative ? (v == Long.MAX_VALUE ? Long.MIN_VALUE : -v) : v;
        return (int) signed;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
