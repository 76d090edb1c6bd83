package io.cascade.storage.types;

import io.cascade.storage.rdb.ListpackCursor;

import java.util.Map;

import static io.cascade.storage.rdb.ListpackCursor.getInteger;
import static io.cascade.storage.rdb.ListpackCursor.next;

/**
 * streamTrim (XTRIM, XADD's MAXLEN / MINID): removes whole nodes from the head while they fall entirely under
 * the threshold, then, unless approximate, flags entries deleted inside the first node that straddles it.
 * Command thread, on an RStream.
 */
final class StreamTrim {
    private StreamTrim() {
    }

    /** Returns the number of entries removed; limit 0 means no limit on the work. */
    static long trim(RStream s, boolean byMinId, long maxlen, StreamId minid, boolean approx, long limit) {
        long deleted = 0;
        Map.Entry<StreamId, StreamNode> e = s.rax.firstEntry();
        while (e != null) {
            if (!byMinId && Long.compareUnsigned(s.length, maxlen) <= 0) {
                break;
            }
            StreamNode node = e.getValue();
            long entries = node.count();
            if (limit != 0 && deleted + entries > limit) {
                break;
            }
            boolean removeNode;
            if (!byMinId) {
                removeNode = Long.compareUnsigned(s.length - entries, maxlen) >= 0; // size_t arithmetic
            } else {
                removeNode = lastEntryId(node).compareTo(minid) < 0;
            }
            if (removeNode) {
                s.rax.remove(e.getKey());
                s.length -= entries;
                deleted += entries;
                e = s.rax.ceilingEntry(e.getKey());
                continue;
            }
            if (approx) {
                break;
            }
            deleted += trimInside(s, node, byMinId, maxlen, minid, entries);
            break; // the threshold falls inside this node: no later node can be touched
        }
        if (s.length == 0) {
            s.setFirstId(StreamId.MIN);
        } else if (deleted > 0) {
            s.setFirstId(s.edgeId(true, true));
        }
        return deleted;
    }

    /** Flags entries deleted from the node's head until the stream is short enough or minid is reached. */
    private static long trimInside(RStream s, StreamNode node, boolean byMinId, long maxlen, StreamId minid,
            long entries) {
        byte[] lp = node.lp();
        int p = ListpackCursor.first(lp);
        p = next(lp, p); // deleted
        p = next(lp, p); // master num-fields
        long masterFields = getInteger(lp, p);
        p = next(lp, p);
        for (long j = 0; j < masterFields; j++) {
            p = next(lp, p);
        }
        p = next(lp, p); // past the master terminator: the first entry's flags
        long deletedHere = 0;
        while (p != -1) {
            int flagsPos = p;
            long flags = getInteger(lp, p);
            p = next(lp, p);
            long msDelta = getInteger(lp, p);
            p = next(lp, p);
            long seqDelta = getInteger(lp, p);
            p = next(lp, p);
            boolean stop;
            if (!byMinId) {
                stop = Long.compareUnsigned(s.length, maxlen) <= 0;
            } else {
                StreamId cur = new StreamId(node.master.ms() + msDelta, node.master.seq() + seqDelta);
                stop = cur.compareTo(minid) >= 0;
            }
            if (stop) {
                break;
            }
            long skip;
            if ((flags & RStream.FLAG_SAMEFIELDS) != 0) {
                skip = masterFields;
            } else {
                skip = getInteger(lp, p) * 2;
                p = next(lp, p);
            }
            while (skip-- > 0) {
                p = next(lp, p);
            }
            p = next(lp, p); // past lp-count
            if ((flags & RStream.FLAG_DELETED) == 0) {
                // flags 0..3 are one byte in both states, so no position moves
                node.replaceInteger(flagsPos, flags | RStream.FLAG_DELETED);
                lp = node.lp();
                deletedHere++;
                s.length--;
            }
        }
        long marked = node.deleted();
        node.setCount(entries - deletedHere);
        node.setDeleted(marked + deletedHere);
        return deletedHere;
    }

    /** lpGetEdgeStreamID(last): the node's last entry, tombstone or not. */
    static StreamId lastEntryId(StreamNode node) {
        byte[] lp = node.lp();
        int p = ListpackCursor.last(lp);
        long count = getInteger(lp, p);
        if (count == 0) {
            return StreamId.MIN; // only a master entry (a loaded node can be so): nothing to keep it for
        }
        while (count-- > 0) {
            p = ListpackCursor.prev(lp, p);
        }
        p = next(lp, p); // from the flags to the ms delta
        long ms = node.master.ms() + getInteger(lp, p);
        p = next(lp, p);
        long seq = node.master.seq() + getInteger(lp, p);
        return new StreamId(ms, seq);
    }
}
