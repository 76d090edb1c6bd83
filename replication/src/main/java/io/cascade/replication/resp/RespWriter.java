package io.cascade.replication.resp;

import io.cascade.storage.types.G17;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Encodes replies in RESP2 or RESP3 into a ByteBuf, choosing the RESP2 fallback for RESP3-only types the way
 * Redis's addReply* functions do. Used on the command thread, one buffer at a time.
 */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[][] SMALL_INTS = new byte[1024][];

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) {
            SMALL_INTS[i] = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private ByteBuf out;
    private int protocol = 2;
    private long errorCount;
    private String lastError;
    /** The last error was already counted in the error stats where it arose (errorCounted). */
    private boolean lastErrorCounted;

    public RespWriter target(ByteBuf buf, int resp) {
        this.out = buf;
        this.protocol = resp;
        return this;
    }

    /** The buffer replies go to now (the dispatcher drops a failed command's partial reply from it). */
    public ByteBuf buffer() {
        return out;
    }

    public boolean resp3() {
        return protocol >= 3;
    }

    public void simple(String s) {
        out.writeByte('+');
        out.writeCharSequence(s, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    /** An error reply; {@code text} starts with its code ("ERR ...", "NOAUTH ..."). CR and LF are blanked. */
    public void error(String text) {
        errorCount++;
        lastError = text;
        lastErrorCounted = false;
        out.writeByte('-');
        out.writeCharSequence(text.replace('\r', ' ').replace('\n', ' '), StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    /**
     * An error reply of raw bytes, for texts that quote the client's own bytes (an unknown command's name):
     * written as they are, as Redis's addReplyErrorFormat does, trailing CR/LF trimmed and the others blanked.
     */
    public void error(byte[] text) {
        int end = text.length;
        while (end > 0 && (text[end - 1] == '\r' || text[end - 1] == '\n')) {
            end--;
        }
        errorCount++;
        lastError = new String(text, 0, end, StandardCharsets.ISO_8859_1);
        lastErrorCounted = false;
        out.writeByte('-');
        for (int i = 0; i < end; i++) {
            byte b = text[i];
            out.writeByte(b == '\r' || b == '\n' ? ' ' : b);
        }
        out.writeBytes(CRLF);
    }

    /** Errors written so far by this writer; a command failed if the count moved while it ran. */
    public long errorCount() {
        return errorCount;
    }

    public String lastError() {
        return lastError;
    }

    /**
     * An error reply whose error the stats counted already where it arose (a script's refused call passed on:
     * Redis's ERR_REPLY_FLAG_NO_STATS_UPDATE): the command still counts as failed, the error not again.
     */
    public void errorCounted(String text) {
        error(text);
        lastErrorCounted = true;
    }

    public boolean lastErrorCounted() {
        return lastErrorCounted;
    }

    public void integer(long v) {
        out.writeByte(':');
        number(v);
        out.writeBytes(CRLF);
    }

    public void bulk(byte[] b) {
        if (b == null) {
            nullBulk();
            return;
        }
        out.writeByte('$');
        number(b.length);
        out.writeBytes(CRLF);
        out.writeBytes(b);
        out.writeBytes(CRLF);
    }

    public void bulk(String s) {
        bulk(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    public void bulk(long v) {
        bulk(Long.toString(v));
    }

    /** RESP3 verbatim string ("txt"), a plain bulk string in RESP2 (used by INFO, CLIENT LIST). */
    public void verbatim(String s) {
        if (!resp3()) {
            bulk(s);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeByte('=');
        number(b.length + 4);
        out.writeBytes(CRLF);
        out.writeBytes("txt:".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(b);
        out.writeBytes(CRLF);
    }

    /**
     * RESP3 verbatim string with a three-letter format ("txt", "mkd"; padded with blanks as Redis does), a plain
     * bulk string in RESP2.
     */
    public void verbatim(byte[] b, String format) {
        if (!resp3()) {
            bulk(b);
            return;
        }
        String ext = (format + "   ").substring(0, 3);
        out.writeByte('=');
        number(b.length + 4);
        out.writeBytes(CRLF);
        out.writeCharSequence(ext, StandardCharsets.US_ASCII);
        out.writeByte(':');
        out.writeBytes(b);
        out.writeBytes(CRLF);
    }

    /**
     * Redis 7.0's addReplyDouble: C's "%.17g" text (storage's G17), a bulk string in RESP2 and a "," double in
     * RESP3; infinities are "inf" and "-inf" in both.
     */
    public void doubleReply(double d) {
        String text = G17.format(d);
        if (!resp3()) {
            bulk(text);
            return;
        }
        out.writeByte(',');
        out.writeCharSequence(text, StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
    }

    /** A big number: "(digits" in RESP3, a bulk string in RESP2 (addReplyBigNum). */
    public void bigNumber(String digits) {
        if (!resp3()) {
            bulk(digits);
            return;
        }
        out.writeByte('(');
        out.writeCharSequence(digits, StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
    }

    /** An attribute map header ("|n", RESP3 only: RESP2 has no attributes, the caller must skip them). */
    public void attribute(int pairs) {
        if (!resp3()) {
            throw new IllegalStateException("attributes exist only in RESP3");
        }
        header('|', pairs);
    }

    /** The null reply: "$-1" in RESP2, "_" in RESP3. */
    public void nullBulk() {
        out.writeBytes(resp3() ? "_\r\n".getBytes(StandardCharsets.US_ASCII)
                : "$-1\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** The null array: "*-1" in RESP2, "_" in RESP3. */
    public void nullArray() {
        out.writeBytes(resp3() ? "_\r\n".getBytes(StandardCharsets.US_ASCII)
                : "*-1\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    public void array(int n) {
        header('*', n);
    }

    /** A map of n pairs: "%n" in RESP3, an array of 2n elements in RESP2. */
    public void map(int pairs) {
        if (resp3()) {
            header('%', pairs);
        } else {
            header('*', pairs * 2L);
        }
    }

    /** A set: "~n" in RESP3, an array in RESP2. */
    public void set(int n) {
        header(resp3() ? '~' : '*', n);
    }

    public void bool(boolean b) {
        if (resp3()) {
            out.writeBytes((b ? "#t\r\n" : "#f\r\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            integer(b ? 1 : 0);
        }
    }

    /** A push message header (">n" in RESP3, an array in RESP2), for pub/sub and invalidation. */
    public void push(int n) {
        header(resp3() ? '>' : '*', n);
    }

    /** Bytes already in RESP form. */
    public void raw(byte[] b) {
        out.writeBytes(b);
    }

    private void header(char type, long n) {
        out.writeByte(type);
        number(n);
        out.writeBytes(CRLF);
    }

    private void number(long v) {
        if (v >= 0 && v < SMALL_INTS.length) {
            out.writeBytes(SMALL_INTS[(int) v]);
        } else {
            out.writeCharSequence(Long.toString(v), StandardCharsets.US_ASCII);
        }
    }
}
