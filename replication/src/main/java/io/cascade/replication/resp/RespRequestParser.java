package io.cascade.replication.resp;

import io.cascade.conf.ArgSplitter;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

import java.util.ArrayList;
import java.util.List;

/**
 * Incremental parser of client requests (RESP multibulk and inline), one per connection, on its I/O thread.
 *
 * <p>It never consumes part of a request: the reader index moves only when a whole request has been read,
 * so the caller can take the exact wire bytes of each request. Progress inside an incomplete request is
 * remembered as an offset from the reader index, so a large argument arriving in many reads is scanned once.
 * Limits and error texts follow Redis 7.0's processInlineBuffer and processMultibulkBuffer.
 */
public final class RespRequestParser {
    /** PROTO_INLINE_MAX_SIZE: the longest inline request, and the longest wait for a length line's CR. */
    public static final int INLINE_MAX_SIZE = 64 * 1024;
    /** Before AUTH, Redis refuses requests with more than 10 arguments or arguments over 16 KiB. */
    private static final int UNAUTH_MAX_ARGS = 10;
    private static final int UNAUTH_MAX_BULK = 16384;

    /** What the parser must know about its connection; read on the I/O thread for every request. */
    public interface Limits {
        long maxBulkLength();

        boolean authRequired();

        /** A master's stream is trusted: no bulk length limit (Redis skips the check for CLIENT_MASTER). */
        default boolean isMaster() {
            return false;
        }
    }

    private final Limits limits;
    /** Bytes of the current request already parsed, counted from the reader index. */
    private int pos;
    /** Arguments still to read of the current multibulk; 0 when between requests. */
    private long multibulkRemaining;
    /** Length of the bulk being read, or -1 while its "$n" line is still to come. */
    private long bulkLength = -1;
    private List<byte[]> args;

    public RespRequestParser(Limits limits) {
        this.limits = limits;
    }

    /**
     * Parses the next whole request in {@code in}. Returns null when more bytes are needed, leaving the reader
     * index where it was. Empty requests (a blank inline line, "*0") are consumed and skipped, as Redis does.
     */
    public RespRequest parse(ByteBuf in) throws RespProtocolException {
        while (in.readableBytes() > pos) {
            RespRequest request;
            if (pos == 0 && in.getByte(in.readerIndex()) != '*') {
                request = parseInline(in);
            } else {
                request = parseMultibulk(in);
            }
            if (request == null) {
                return null;
            }
            if (request.argc() > 0) {
                return request;
            }
        }
        return null;
    }

    private RespRequest parseInline(ByteBuf in) throws RespProtocolException {
        int start = in.readerIndex();
        int newline = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (newline < 0) {
            if (in.readableBytes() > INLINE_MAX_SIZE) {
                throw new RespProtocolException("Protocol error: too big inline request", "too big inline request");
            }
            return null;
        }
        int end = newline;
        if (end > start && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        List<byte[]> split = ArgSplitter.split(line);
        if (split == null) {
            throw new RespProtocolException("Protocol error: unbalanced quotes in request",
                    "unbalanced quotes in inline request");
        }
        int wire = newline + 1 - start;
        in.skipBytes(wire);
        return new RespRequest(split.toArray(new byte[0][]), wire, true);
    }

    private RespRequest parseMultibulk(ByteBuf in) throws RespProtocolException {
        int base = in.readerIndex();
        if (pos == 0) {
            int cr = findCr(in, base);
            if (cr < 0) {
                if (in.readableBytes() > INLINE_MAX_SIZE) {
                    throw new RespProtocolException("Protocol error: too big mbulk count string",
                            "too big mbulk count string");
                }
                return null;
            }
            if (cr + 2 > in.writerIndex()) {
                return null; // the LF after the CR has not arrived yet
            }
            long count = parseLong(in, base + 1, cr);
            if (count == Long.MIN_VALUE || count > Integer.MAX_VALUE) {
                throw new RespProtocolException("Protocol error: invalid multibulk length", "invalid mbulk count");
            }
            if (count > UNAUTH_MAX_ARGS && limits.authRequired()) {
                throw new RespProtocolException("Protocol error: unauthenticated multibulk length",
                        "unauth mbulk count");
            }
            pos = cr + 2 - base;
            if (count <= 0) {
                return finish(in); // "*0" or "*-1": nothing to run
            }
            multibulkRemaining = count;
            args = new ArrayList<>((int) Math.min(count, 1024));
        }
        while (multibulkRemaining > 0) {
            if (bulkLength < 0) {
                int lineStart = base + pos;
                int cr = findCr(in, lineStart);
                if (cr < 0) {
                    if (in.writerIndex() - lineStart > INLINE_MAX_SIZE) {
                        throw new RespProtocolException("Protocol error: too big bulk count string",
                                "too big bulk count string");
                    }
                    return null;
                }
                if (cr + 2 > in.writerIndex()) {
                    return null;
                }
                byte type = in.getByte(lineStart);
                if (type != '$') {
                    throw new RespProtocolException("Protocol error: expected '$', got '" + (char) (type & 0xff) + "'",
                            "expected $ but got something else");
                }
                long len = parseLong(in, lineStart + 1, cr);
                if (len == Long.MIN_VALUE || len < 0 || (!limits.isMaster() && len > limits.maxBulkLength())) {
                    throw new RespProtocolException("Protocol error: invalid bulk length", "invalid bulk length");
                }
                if (len > UNAUTH_MAX_BULK && limits.authRequired()) {
                    throw new RespProtocolException("Protocol error: unauthenticated bulk length",
                            "unauth bulk length");
                }
                bulkLength = len;
                pos = cr + 2 - base;
            }
            // Like Redis, the two bytes after the payload are skipped without checking that they are CRLF.
            if ((long) in.readableBytes() - pos < bulkLength + 2) {
                return null;
            }
            byte[] arg = new byte[(int) bulkLength];
            in.getBytes(base + pos, arg);
            args.add(arg);
            pos += (int) bulkLength + 2;
            bulkLength = -1;
            multibulkRemaining--;
        }
        return finish(in);
    }

    private RespRequest finish(ByteBuf in) {
        int wire = pos;
        byte[][] argv = args == null ? new byte[0][] : args.toArray(new byte[0][]);
        in.skipBytes(wire);
        pos = 0;
        args = null;
        multibulkRemaining = 0;
        bulkLength = -1;
        return new RespRequest(argv, wire, false);
    }

    private static int findCr(ByteBuf in, int from) {
        return in.forEachByte(from, in.writerIndex() - from, ByteProcessor.FIND_CR);
    }

    /**
     * Redis's string2ll on in[from, to): optional '-', no '+', no leading zeros, no spaces, must fit a long.
     * Returns Long.MIN_VALUE for anything it rejects (that value itself is never a valid length anyway).
     */
    static long parseLong(ByteBuf in, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 20) {
            return Long.MIN_VALUE;
        }
        int i = from;
        boolean negative = false;
        if (in.getByte(i) == '-') {
            negative = true;
            i++;
            if (i == to) {
                return Long.MIN_VALUE;
            }
        }
        byte first = in.getByte(i);
        if (first == '0') {
            return (i + 1 == to && !negative) ? 0 : Long.MIN_VALUE;
        }
        long value = 0;
        for (; i < to; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                return Long.MIN_VALUE;
            }
            int digit = b - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return Long.MIN_VALUE;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }
}
