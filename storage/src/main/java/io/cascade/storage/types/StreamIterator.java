package io.cascade.storage.types;

import io.cascade.storage.rdb.ListpackCursor;

import static io.cascade.storage.rdb.ListpackCursor.getInteger;
import static io.cascade.storage.rdb.ListpackCursor.prev;

/**
 * Walks a stream's entries between two IDs (inclusive), forwards or backwards, over the nodes' listpacks, as
 * t_stream.c's streamIterator does: tombstones (entries flagged deleted) are skipped unless asked for, and
 * removeEntry flags the current entry deleted (streamIteratorRemoveEntry) then seeks again. Each next() that
 * returns true exposes the entry's ID, flags and field/value pairs. The stream must not be changed other than
 * through removeEntry while iterating. Command thread.
 */
public final class StreamIterator {
    private final RStream stream;
    private StreamId start;
    private StreamId end;
    private final boolean rev;
    private boolean skipTombstones;

    /** The tree node being walked (ri), null before the first or once the walk left it. */
    private StreamId nodeKey;
    private boolean seeked;
    private StreamId seekKey;
    private byte[] lp;
    private int ele;
    private long masterFieldsCount;
    private int masterFieldsStart;
    private int flagsPos;

    private StreamId id;
    private int flags;
    private byte[][] fields;
    private byte[][] values;

    /** streamIteratorStart: null start / end mean 0-0 and the maximum ID. */
    StreamIterator(RStream stream, StreamId start, StreamId end, boolean rev) {
        this.stream = stream;
        this.rev = rev;
        seek(start, end);
    }

    private void seek(StreamId from, StreamId to) {
        start = from == null ? StreamId.MIN : from;
        end = to == null ? StreamId.MAX : to;
        skipTombstones = true; // streamIteratorStart resets it, also on the re-seek after a removal
        StreamId bound = rev ? to : from;
        // raxSeek "<=" the bound, or the first (last) node when there is none; a 0-0 or missing bound seeks the edge
        StreamId k = bound != null && !bound.isZero() ? stream.rax.floorKey(bound) : null;
        if (k == null) {
            k = stream.rax.isEmpty() ? null : rev ? stream.rax.lastKey() : stream.rax.firstKey();
        }
        seekKey = k;
        seeked = false;
        nodeKey = null;
        lp = null;
        ele = -1;
    }

    /** Whether tombstones are returned too (streamGetEdgeID without skipping, streamTrim's view). */
    public StreamIterator includeTombstones() {
        skipTombstones = false;
        return this;
    }

    private boolean nextNode() {
        StreamId k;
        if (!seeked) {
            seeked = true;
            k = seekKey;
        } else if (nodeKey == null) {
            k = null;
        } else {
            k = rev ? stream.rax.lowerKey(nodeKey) : stream.rax.higherKey(nodeKey);
        }
        nodeKey = k;
        if (k == null) {
            return false;
        }
        lp = stream.rax.get(k).lp();
        ele = ListpackCursor.first(lp); // count
        ele = ListpackCursor.next(lp, ele); // deleted
        ele = ListpackCursor.next(lp, ele); // master num-fields
        masterFieldsCount = getInteger(lp, ele);
        ele = ListpackCursor.next(lp, ele);
        masterFieldsStart = ele;
        if (!rev) {
            for (long i = 0; i < masterFieldsCount; i++) {
                ele = ListpackCursor.next(lp, ele); // lands on the master entry's terminator
            }
        } else {
            ele = ListpackCursor.last(lp); // the last entry's lp-count
        }
        return true;
    }

    /** streamIteratorGetID: moves to the next entry in range; false when there is none. */
    public boolean next() {
        while (true) {
            if (lp == null || ele == -1) {
                if (!nextNode()) {
                    return false;
                }
            } else if (rev) {
                // back over the entry just returned, then onto the previous entry's lp-count
                long count = getInteger(lp, ele);
                while (count-- > 0) {
                    ele = prev(lp, ele);
                }
                ele = prev(lp, ele);
            }
            while (true) {
                if (!rev) {
                    ele = ListpackCursor.next(lp, ele); // past the previous lp-count (or the master terminator)
                    if (ele == -1) {
                        break;
                    }
                } else {
                    long count = getInteger(lp, ele);
                    if (count == 0) { // the master entry's terminator: this node is done
                        lp = null;
                        ele = -1;
                        break;
                    }
                    while (count-- > 0) {
                        ele = prev(lp, ele);
                    }
                }
                flagsPos = ele;
                int f = (int) getInteger(lp, ele);
                ele = ListpackCursor.next(lp, ele);
                long ms = nodeKey.ms() + getInteger(lp, ele); // unsigned deltas: wrapping adds
                ele = ListpackCursor.next(lp, ele);
                long seq = nodeKey.seq() + getInteger(lp, ele);
                ele = ListpackCursor.next(lp, ele);
                StreamId cur = new StreamId(ms, seq);
                boolean same = (f & RStream.FLAG_SAMEFIELDS) != 0;
                long numFields;
                if (same) {
                    numFields = masterFieldsCount;
                } else {
                    numFields = getInteger(lp, ele);
                    ele = ListpackCursor.next(lp, ele);
                }
                boolean visible = !skipTombstones || (f & RStream.FLAG_DELETED) == 0;
                if (!rev ? cur.compareTo(start) >= 0 && visible : cur.compareTo(end) <= 0 && visible) {
                    if (!rev ? cur.compareTo(end) > 0 : cur.compareTo(start) < 0) {
                        return false; // already out of range
                    }
                    id = cur;
                    flags = f;
                    readFields(same, (int) numFields);
                    return true;
                }
                if (!rev) {
                    long skip = same ? numFields : numFields * 2;
                    for (long i = 0; i < skip; i++) {
                        ele = ListpackCursor.next(lp, ele);
                    }
                } else {
                    // back to the previous entry's lp-count: over the two deltas, the flags (and num-fields)
                    int times = same ? 4 : 5;
                    while (times-- > 0) {
                        ele = prev(lp, ele);
                    }
                }
            }
        }
    }

    /** Reads the current entry's pairs (streamIteratorGetField for each), leaving ele on its lp-count. */
    private void readFields(boolean same, int n) {
        fields = new byte[n][];
        values = new byte[n][];
        int mf = masterFieldsStart;
        for (int i = 0; i < n; i++) {
            if (same) {
                fields[i] = ListpackCursor.get(lp, mf);
                mf = ListpackCursor.next(lp, mf);
            } else {
                fields[i] = ListpackCursor.get(lp, ele);
                ele = ListpackCursor.next(lp, ele);
            }
            values[i] = ListpackCursor.get(lp, ele);
            ele = ListpackCursor.next(lp, ele);
        }
    }

    public StreamId id() {
        return id;
    }

    /** The entry's flags (RStream.FLAG_*): a tombstone has FLAG_DELETED when includeTombstones was asked. */
    public int flags() {
        return flags;
    }

    public int numFields() {
        return fields.length;
    }

    public byte[] field(int i) {
        return fields[i];
    }

    public byte[] value(int i) {
        return values[i];
    }

    /**
     * streamIteratorRemoveEntry: flags the current entry deleted, updates its node's counters (or drops the node
     * when it was its last live entry) and the stream's length, then seeks again from the current ID, so the
     * next call to next() goes on with the following entry. Callers keep first_id and max_deleted_entry_id.
     */
    public void removeEntry() {
        StreamNode node = stream.rax.get(nodeKey);
        node.replaceInteger(flagsPos, flags | RStream.FLAG_DELETED);
        long count = node.count();
        if (count == 1) {
            stream.rax.remove(nodeKey);
        } else {
            node.setCount(count - 1);
            node.setDeleted(node.deleted() + 1);
        }
        stream.length--;
        if (rev) {
            seek(start, id);
        } else {
            seek(id, end);
        }
    }
}
