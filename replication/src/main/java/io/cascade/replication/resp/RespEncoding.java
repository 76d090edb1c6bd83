package io.cascade.replication.resp;

import java.nio.charset.StandardCharsets;

/**
 * A command as RESP puts it on the wire: a multibulk of bulk strings (`*<argc>\r\n` then `$<len>\r\n<arg>\r\n`
 * per argument), the only form a replication stream and a replica's handshake use. Any thread.
 */
public final class RespEncoding {
    private RespEncoding() {
    }

    public static byte[] command(String... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return command(b);
    }

    public static byte[] command(byte[]... args) {
        int size = 1 + digits(args.length) + 2;
        for (byte[] a : args) {
            size += 1 + digits(a.length) + 2 + a.length + 2;
        }
        byte[] out = new byte[size];
        int at = header(out, 0, '*', args.length);
        for (byte[] a : args) {
            at = header(out, at, '$', a.length);
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
            out[at++] = '\r';
            out[at++] = '\n';
        }
        return out;
    }

    private static int header(byte[] out, int at, char type, int n) {
        out[at++] = (byte) type;
        int d = digits(n);
        for (int i = d - 1; i >= 0; i--) {
            out[at + i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        at += d;
        out[at++] = '\r';
        out[at++] = '\n';
        return at;
    }

    private static int digits(int n) {
        int d = 1;
        while (n >= 10) {
            n /= 10;
            d++;
        }
        return d;
    }
}
