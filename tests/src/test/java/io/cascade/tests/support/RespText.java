package io.cascade.tests.support;

import java.util.ArrayList;
import java.util.List;

/** Parses a raw RESP reply (as RawConnection returns it) into nested lists and strings, to compare structure. */
public final class RespText {
    private final String s;
    private int p;

    private RespText(String s) {
        this.s = s;
    }

    public static Object parse(String raw) {
        return new RespText(raw).value();
    }

    private String line() {
        int end = s.indexOf("\r\n", p);
        String l = s.substring(p, end);
        p = end + 2;
        return l;
    }

    private Object value() {
        String l = line();
        char t = l.charAt(0);
        String rest = l.substring(1);
        switch (t) {
            case '$', '=', '!' -> {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                String v = s.substring(p, p + n);
                p += n + 2;
                return v;
            }
            case '*', '~', '>', '%', '|' -> {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                int count = (t == '%' || t == '|') ? 2 * n : n;
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    out.add(value());
                }
                return out;
            }
            default -> {
                return t + rest;
            }
        }
    }
}
