package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.storage.types.RStream;
import io.cascade.storage.types.StreamId;

import java.util.ArrayList;
import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * The stream family (t_stream.c): XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM and XSETID here, registering XREAD
 * and XREADGROUP (StreamReadCommands), the consumer group commands (StreamGroupCommands, StreamClaimCommands)
 * and XINFO (StreamInfoCommand). Command thread.
 */
public final class StreamCommands {
    private StreamCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("xadd", -5, "write denyoom fast", StreamCommands::xadd).keys(1, 1, 1, "RW update")
                .keyNotes("UPDATE instead of INSERT because of the optional trimming feature").acl("stream")
                .tips("nondeterministic_output").doc("Appends a new entry to a stream", "5.0.0", "stream",
                        "O(1) when adding a new entry, O(N) when trimming where N being the number of entries "
                                + "evicted.", "key:key [NOMKSTREAM] [trim:block((MAXLEN|MINID) [=|~] "
                                + "threshold:string [LIMIT count:integer])] id_or_auto:(*|ID:string) "
                                + "(field:string value:string)..."));
        t.add(cmd("xlen", 2, "readonly fast", StreamCommands::xlen).keys(1, 1, 1, "RO").acl("stream")
                .doc("Return the number of entries in a stream", "5.0.0", "stream", "O(1)", "key:key"));
        t.add(cmd("xrange", -4, "readonly", c -> xrange(c, false)).keys(1, 1, 1, "RO access").acl("stream")
                .doc("Return a range of elements in a stream, with IDs matching the specified IDs interval",
                        "5.0.0", "stream", "O(N) with N being the number of elements being returned. If N is "
                                + "constant (e.g. always asking for the first 10 elements with COUNT), you can "
                                + "consider it O(1).", "key:key start:string end:string [COUNT count:integer]"));
        t.add(cmd("xrevrange", -4, "readonly", c -> xrange(c, true)).keys(1, 1, 1, "RO access").acl("stream")
                .doc("Return a range of elements in a stream, with IDs matching the specified IDs interval, in "
                        + "reverse order (from greater to smaller IDs) compared to XRANGE", "5.0.0", "stream",
                        "O(N) with N being the number of elements returned. If N is constant (e.g. always asking "
                                + "for the first 10 elements with COUNT), you can consider it O(1).",
                        "key:key end:string start:string [COUNT count:integer]"));
        t.add(cmd("xdel", -3, "write fast", StreamCommands::xdel).keys(1, 1, 1, "RW delete").acl("stream")
                .doc("Removes the specified entries from the stream. Returns the number of items actually "
                        + "deleted, that may be different from the number of IDs passed in case certain IDs do "
                        + "not exist.", "5.0.0", "stream", "O(1) for each single item to delete in the stream, "
                        + "regardless of the stream size.", "key:key ID:string..."));
        t.add(cmd("xtrim", -4, "write", StreamCommands::xtrim).keys(1, 1, 1, "RW delete").acl("stream")
                .tips("nondeterministic_output").doc("Trims the stream to (approximately if '~' is passed) a "
                        + "certain size", "5.0.0", "stream", "O(N), with N being the number of evicted entries. "
                        + "Constant times are very small however, since entries are organized in macro nodes "
                        + "containing multiple entries that can be released with a single deallocation.",
                        "key:key trim:block((MAXLEN|MINID) [=|~] threshold:string [LIMIT count:integer])"));
        t.add(cmd("xsetid", -3, "write denyoom fast", StreamCommands::xsetid).keys(1, 1, 1, "RW update")
                .acl("stream").doc("An internal command for replicating stream values", "5.0.0", "stream", "O(1)",
                        "key:key last-id:string [ENTRIESADDED entries_added:integer] "
                                + "[MAXDELETEDID max_deleted_entry_id:string]"));
        StreamReadCommands.register(t);
        StreamGroupCommands.register(t);
        StreamClaimCommands.register(t);
        StreamInfoCommand.register(t);
    }

    /** xaddCommand. */
    static void xadd(CommandContext c) {
        StreamTrimArgs a = StreamTrimArgs.parse(c, true);
        int fieldPos = a.idPos + 1;
        int pairs = c.argc() - fieldPos;
        if (pairs < 2 || pairs % 2 == 1) {
            throw new CommandException(Errors.wrongArity(c.spec.fullName));
        }
        if (a.idGiven && a.seqGiven && a.id.isZero()) {
            // before the key is created: an empty stream must not be left behind
            throw new CommandException("ERR The ID specified in XADD must be greater than 0-0");
        }
        byte[] key = c.argv[1];
        RStream s = c.lookupWrite(key, RStream.class);
        if (s == null) {
            if (a.noMkstream) {
                c.reply.nullBulk();
                return;
            }
            s = new RStream();
        }
        if (s.lastId().equals(StreamId.MAX)) {
            throw new CommandException("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        byte[][] fields = new byte[pairs][];
        System.arraycopy(c.argv, fieldPos, fields, 0, pairs);
        StreamId id;
        try {
            id = s.append(fields, a.idGiven ? a.id : null, a.seqGiven, System.currentTimeMillis());
        } catch (RStream.AppendException e) {
            // an exhausted sequence ("ms-*" after ms-18446744073709551615) sets no errno in Redis: it is
            // reported as the size error
            throw new CommandException(e.reason == RStream.AppendError.ID_NOT_GREATER
                    ? "ERR The ID specified in XADD is equal or smaller than the target stream top item"
                    : "ERR Elements are too large to be stored");
        }
        byte[] idBytes = id.toBytes();
        // dbAdd's "new" event comes before the reply, signalModifiedKey and dirty++ after: no one can tell
        c.db().update(key, s); // signalModifiedKey, dirty++, and signalKeyAsReady for blocked readers
        c.reply.bulk(idBytes);
        c.notify(Notifications.STREAM, "xadd", key);
        byte[][] propagated = null;
        if (a.trims()) {
            if (a.trim(s) > 0) {
                c.notify(Notifications.STREAM, "xtrim", key);
            }
            if (a.approx) {
                propagated = c.argv.clone();
                a.rewriteApprox(propagated, s);
            }
        }
        if (!a.idGiven || !a.seqGiven) {
            if (propagated == null) {
                propagated = c.argv.clone();
            }
            propagated[a.idPos] = idBytes; // the replicas add the very ID this one generated
        }
        if (propagated != null) {
            c.server.propagation.rewrite(propagated);
        }
    }

    static void xlen(CommandContext c) {
        RStream s = c.lookup(c.argv[1], RStream.class);
        c.reply.integer(s == null ? 0 : s.length());
    }

    /** xrangeGenericCommand: the bounds and COUNT are checked before the key. */
    static void xrange(CommandContext c, boolean rev) {
        byte[] startArg = rev ? c.argv[3] : c.argv[2];
        byte[] endArg = rev ? c.argv[2] : c.argv[3];
        StreamId start = StreamIds.startBound(startArg);
        StreamId end = StreamIds.endBound(endArg);
        long count = -1;
        for (int j = 4; j < c.argc(); j++) {
            if (c.argIs(j, "count") && c.argc() - j - 1 >= 1) {
                count = Math.max(0, c.longArg(j + 1));
                j++;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        RStream s = c.lookup(c.argv[1], RStream.class);
        if (s == null) {
            c.reply.array(0);
        } else if (count == 0) {
            c.reply.nullArray();
        } else {
            StreamReplies.range(c.reply, s, start, end, count == -1 ? 0 : count, rev);
        }
    }

    /** xdelCommand: every ID is parsed before any is deleted. */
    static void xdel(CommandContext c) {
        byte[] key = c.argv[1];
        RStream s = c.lookupWrite(key, RStream.class);
        if (s == null) {
            c.reply.integer(0);
            return;
        }
        List<StreamId> ids = new ArrayList<>();
        for (int j = 2; j < c.argc(); j++) {
            ids.add(StreamIds.parseStrict(c.argv[j], 0));
        }
        int deleted = s.deleteEntries(ids);
        if (deleted > 0) {
            c.db().update(key, s);
            c.server.dirty += deleted - 1;
            c.notify(Notifications.STREAM, "xdel", key);
        }
        c.reply.integer(deleted);
    }

    /** xtrimCommand: the options are checked before the key. */
    static void xtrim(CommandContext c) {
        StreamTrimArgs a = StreamTrimArgs.parse(c, false);
        byte[] key = c.argv[1];
        RStream s = c.lookupWrite(key, RStream.class);
        if (s == null) {
            c.reply.integer(0);
            return;
        }
        long deleted = a.trim(s);
        if (deleted > 0) {
            c.notify(Notifications.STREAM, "xtrim", key);
            if (a.approx) {
                byte[][] propagated = c.argv.clone();
                a.rewriteApprox(propagated, s);
                c.server.propagation.rewrite(propagated);
            }
            c.db().update(key, s);
            c.server.dirty += deleted - 1;
        }
        c.reply.integer(deleted);
    }

    /** xsetidCommand: the options are checked before the key, which must exist ("ERR no such key"). */
    static void xsetid(CommandContext c) {
        StreamId id = StreamIds.parseStrict(c.argv[2], 0);
        StreamId maxXdel = StreamId.MIN;
        long entriesAdded = -1;
        for (int i = 3; i < c.argc(); i++) {
            int moreargs = c.argc() - 1 - i;
            if (c.argIs(i, "entriesadded") && moreargs > 0) {
                entriesAdded = c.longArg(i + 1);
                if (entriesAdded < 0) {
                    throw new CommandException("ERR entries_added must be positive");
                }
                i++;
            } else if (c.argIs(i, "maxdeletedid") && moreargs > 0) {
                maxXdel = StreamIds.parseStrict(c.argv[i + 1], 0);
                if (id.compareTo(maxXdel) < 0) {
                    throw new CommandException("ERR The ID specified in XSETID is smaller than the provided "
                            + "max_deleted_entry_id");
                }
                i++;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        byte[] key = c.argv[1];
        RStream s = c.lookupWrite(key, RStream.class);
        if (s == null) {
            throw new CommandException("ERR no such key");
        }
        if (s.length() > 0) {
            if (id.compareTo(s.lastValidId()) < 0) {
                throw new CommandException("ERR The ID specified in XSETID is smaller than the target stream top "
                        + "item");
            }
            if (entriesAdded != -1 && Long.compareUnsigned(s.length(), entriesAdded) > 0) {
                throw new CommandException("ERR The entries_added specified in XSETID is smaller than the target "
                        + "stream length");
            }
        }
        s.setLastId(id);
        if (entriesAdded != -1) {
            s.setEntriesAdded(entriesAdded);
        }
        if (!maxXdel.isZero()) {
            s.setMaxDeletedEntryId(maxXdel);
        }
        c.ok();
        c.server.dirty++; // Redis signals no modified key here: a WATCH on the stream still holds
        c.notify(Notifications.STREAM, "xsetid", key);
    }
}
