package io.cascade.server.command;

import io.cascade.conf.Glob;

/**
 * The arguments of SCAN, HSCAN, SSCAN and ZSCAN after the cursor: MATCH pattern, COUNT n, and (SCAN only)
 * TYPE name, parsed with Redis 7.0's errors (scanGenericCommand). Built per call on the command thread.
 */
public final class ScanArgs {
    public final long cursor;
    public long count = 10;
    public byte[] pattern;
    /** TYPE filter in lower case, or null. */
    public String type;

    private ScanArgs(long cursor) {
        this.cursor = cursor;
    }

    /**
     * Parses argv[cursorIndex] as the cursor and the options after it. Throws CommandException with Redis's
     * text: "ERR invalid cursor", "ERR value is not an integer or out of range", "ERR syntax error".
     */
    public static ScanArgs parse(CommandContext c, int cursorIndex, boolean allowType) {
        ScanArgs a = new ScanArgs(parseCursor(c.argv[cursorIndex]));
        for (int i = cursorIndex + 1; i < c.argc(); i += 2) {
            boolean hasValue = i + 1 < c.argc();
            String opt = c.argLower(i);
            if (opt.equals("count") && hasValue) {
                a.count = c.longArg(i + 1);
                if (a.count < 1) {
                    throw new CommandException(Errors.SYNTAX);
                }
            } else if (opt.equals("match") && hasValue) {
                a.pattern = c.argv[i + 1];
                // "*" matches everything: Redis skips matching altogether (use_pattern = 0)
                if (a.pattern.length == 1 && a.pattern[0] == '*') {
                    a.pattern = null;
                }
            } else if (opt.equals("type") && hasValue && allowType) {
                a.type = c.argLower(i + 1);
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        return a;
    }

    public boolean matches(byte[] element) {
        return pattern == null || Glob.match(pattern, element, false);
    }

    /**
     * Redis's parseScanCursorOrReply, which is strtoul: an optional sign (a '-' negates modulo 2^64, so "-1" is
     * the largest cursor), decimal digits, nothing after them, no overflow; no leading space. An empty argument
     * is cursor 0, as strtoul leaves nothing unparsed.
     */
    static long parseCursor(byte[] b) {
        int i = 0;
        boolean negative = false;
        if (b.length > 0 && (b[0] == '-' || b[0] == '+')) {
            negative = b[0] == '-';
            i = 1;
            if (b.length == 1) {
                throw new CommandException("ERR invalid cursor");
            }
        }
        long v = 0;
        for (; i < b.length; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                throw new CommandException("ERR invalid cursor");
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }
}
