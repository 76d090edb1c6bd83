package io.cascade.conf;

/**
 * Redis's sdscatrepr: bytes double-quoted, with C escapes and \xhh for other non-printables, as CONFIG
 * REWRITE and MONITOR print them. Pure; any thread.
 */
public final class SdsRepr {
    private SdsRepr() {
    }

    public static StringBuilder append(StringBuilder sb, byte[] value) {
        sb.append('"');
        for (byte b : value) {
            int c = b & 0xff;
            switch (c) {
                case '\\', '"' -> sb.append('\\').append((char) c);
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return sb.append('"');
    }
}
