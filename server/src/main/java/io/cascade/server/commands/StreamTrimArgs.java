package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.Errors;
import io.cascade.storage.types.RStream;
import io.cascade.storage.types.StreamId;

/**
 * The options XADD and XTRIM share, as streamParseAddOrTrimArgsOrReply reads them: MAXLEN / MINID with "=" or
 * "~", LIMIT, and for XADD NOMKSTREAM and the ID ("*", "ms-*" or explicit) where the options end; then the
 * trimming itself and the rewrite of an approximate trim into the exact one it did (streamRewriteApproxSpecifier,
 * streamRewriteTrimArgument), so that replicas trim the same entries. Built per command on the command thread.
 */
final class StreamTrimArgs {
    private static final byte[] EQUALS = Rewrites.ascii("=");
    static final String BOTH = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";

    boolean byMaxlen;
    boolean byMinid;
    boolean approx;
    long maxlen;
    StreamId minid;
    long limit;
    /** The argument index of the threshold (trim_strategy_arg_idx). */
    int thresholdIdx;
    boolean noMkstream;
    boolean idGiven;
    boolean seqGiven;
    StreamId id;
    /** XADD: where the ID is. */
    int idPos;

    private StreamTrimArgs() {
    }

    boolean trims() {
        return byMaxlen || byMinid;
    }

    /**
     * MAXLEN or MINID at argument i, with its optional '~' or '=' and the threshold: returns the threshold's
     * index (the last argument it took).
     */
    private static int strategy(CommandContext c, StreamTrimArgs a, int i, int moreargs) {
        if (a.trims()) {
            throw new CommandException(BOTH);
        }
        boolean maxlen = c.argLower(i).equals("maxlen");
        a.approx = false;
        if (moreargs >= 2 && isSingle(c.argv[i + 1], '~')) {
            a.approx = true;
            i++;
        } else if (moreargs >= 2 && isSingle(c.argv[i + 1], '=')) {
            i++;
        }
        i++;
        if (maxlen) {
            a.maxlen = c.longArg(i);
            if (a.maxlen < 0) {
                throw new CommandException("ERR The MAXLEN argument must be >= 0.");
            }
            a.byMaxlen = true;
        } else {
            a.minid = StreamIds.parseStrict(c.argv[i], 0);
            a.byMinid = true;
        }
        a.thresholdIdx = i;
        return i;
    }

    /** Parses from argument 2; throws CommandException with Redis's error. */
    static StreamTrimArgs parse(CommandContext c, boolean xadd) {
        StreamTrimArgs a = new StreamTrimArgs();
        int i = 2;
        boolean limitGiven = false;
        for (; i < c.argc(); i++) {
            int moreargs = c.argc() - 1 - i;
            byte[] opt = c.argv[i];
            String lower = c.argLower(i);
            if (xadd && opt.length == 1 && opt[0] == '*') {
                break; // the common case, an auto ID
            } else if ((lower.equals("maxlen") || lower.equals("minid")) && moreargs > 0) {
                i = strategy(c, a, i, moreargs);
            } else if (lower.equals("limit") && moreargs > 0) {
                a.limit = c.longArg(i + 1);
                if (a.limit < 0) {
                    throw new CommandException("ERR The LIMIT argument must be >= 0.");
                }
                limitGiven = true;
                i++;
            } else if (xadd && lower.equals("nomkstream")) {
                a.noMkstream = true;
            } else if (xadd) {
                StreamIds.Parsed p = StreamIds.parse(opt, 0, true, true);
                a.id = p.id();
                a.seqGiven = p.seqGiven();
                a.idGiven = true;
                break;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        a.idPos = i;
        if (a.limit != 0 && !a.trims()) {
            throw new CommandException("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && !a.trims()) {
            throw new CommandException("ERR syntax error, XTRIM must be called with a trimming strategy");
        }
        if (c.client.master) {
            a.limit = 0; // the master rewrote the threshold: trim exactly what it says
        } else if (limitGiven) {
            if (!a.approx) {
                throw new CommandException("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
        } else {
            a.limit = a.approx ? RStream.defaultApproxLimit() : 0;
        }
        return a;
    }

    private static boolean isSingle(byte[] b, char ch) {
        return b.length == 1 && b[0] == ch;
    }

    /** streamTrim: the number of entries removed. */
    long trim(RStream s) {
        return byMaxlen ? s.trimByLength(maxlen, approx, limit) : s.trimByMinId(minid, approx, limit);
    }

    /**
     * After an approximate trim: the propagated command says "=" and the threshold it reached, the stream's
     * length or its first entry's ID (tombstones included, as streamGetEdgeID(s,1,0) gives it).
     */
    void rewriteApprox(byte[][] argv, RStream s) {
        argv[thresholdIdx - 1] = EQUALS;
        argv[thresholdIdx] = byMaxlen ? Rewrites.number(s.length()) : s.edgeId(true, false).toBytes();
    }
}
