package io.cascade.conf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * sdssplitargs: splits one config line into arguments with Redis's quoting rules. Works on the one-char-per-byte
 * form (see {@link CStrings#toByteString}) so "\xHH" escapes produce real bytes. Pure, any thread.
 */
public final class ArgSplitter {
    private ArgSplitter() {
    }

    /**
     * The same split on raw bytes, for inline requests on the wire: each byte is one char (ISO-8859-1) while
     * splitting, so arguments come back byte for byte. Returns null for unbalanced quotes.
     */
    public static List<byte[]> split(byte[] line) {
        List<String> parts = split(new String(line, StandardCharsets.ISO_8859_1));
        if (parts == null) {
            return null;
        }
        List<byte[]> out = new ArrayList<>(parts.size());
        for (String part : parts) {
            out.add(part.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /**
     * Splits a line. Double quotes take \n \r \t \b \a \xHH and backslash-anything; single quotes only \'.
     * A closing quote must be followed by a blank or the end of the line. Returns null for unbalanced quotes,
     * like C returning NULL. The arguments come back in the same one-char-per-byte form.
     */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        int n = line.length();
        int p = 0;
        while (true) {
            while (p < n && CStrings.isSpace(line.charAt(p))) {
                p++;
            }
            if (p >= n) {
                return out;
            }
            StringBuilder cur = new StringBuilder();
            boolean inq = false;
            boolean insq = false;
            boolean done = false;
            while (!done) {
                char c = p < n ? line.charAt(p) : 0;
                if (inq) {
                    if (c == '\\' && at(line, p + 1) == 'x' && isHex(at(line, p + 2)) && isHex(at(line, p + 3))) {
                        cur.append((char) (Character.digit(at(line, p + 2), 16) * 16 + Character.digit(at(line, p + 3), 16)));
                        p += 3;
                    } else if (c == '\\' && p + 1 < n) {
                        p++;
                        char e = line.charAt(p);
                        cur.append(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> (char) 7;
                            default -> e;
                        });
                    } else if (c == '"') {
                        if (p + 1 < n && !CStrings.isSpace(line.charAt(p + 1))) {
                            return null; // closing quote must be followed by a blank
                        }
                        done = true;
                    } else if (p >= n) {
                        return null; // unterminated quotes
                    } else {
                        cur.append(c);
                    }
                } else if (insq) {
                    if (c == '\\' && at(line, p + 1) == '\'') {
                        p++;
                        cur.append('\'');
                    } else if (c == '\'') {
                        if (p + 1 < n && !CStrings.isSpace(line.charAt(p + 1))) {
                            return null;
                        }
                        done = true;
                    } else if (p >= n) {
                        return null;
                    } else {
                        cur.append(c);
                    }
                } else if (p >= n || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    // Only these end a token; \v and \f are skipped between tokens but kept inside one, as in C.
                    done = true;
                } else if (c == '"') {
                    inq = true;
                } else if (c == '\'') {
                    insq = true;
                } else {
                    cur.append(c);
                }
                if (p < n) {
                    p++;
                }
            }
            out.add(cur.toString());
        }
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
