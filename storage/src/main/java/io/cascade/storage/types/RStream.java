package io.cascade.storage.types;

import io.cascade.storage.RType;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A stream value, kept as Redis 7.0 keeps it (t_stream.c) so that DUMP, RDB and DEBUG DIGEST see the same
 * bytes: a radix tree of nodes (here a TreeMap from the node's master ID to its listpack, see StreamNode),
 * appended to as streamAppendItem does (StreamAppend: a new node at stream-node-max-bytes / -entries),
 * entries deleted by flagging them (XDEL leaves tombstones; a node goes only when its last live entry does),
 * plus the metadata (length, last_id, first_id, max_deleted_entry_id, entries_added) and the consumer groups.
 * The API is the one the X* commands need: append, iterate, delete, trim (StreamTrim), groups. Always on the
 * heap (the off-heap store keeps no compact form of streams). Command thread only.
 */
public final class RStream implements RValue {
    public static final int FLAG_NONE = 0;
    public static final int FLAG_DELETED = 1;
    public static final int FLAG_SAMEFIELDS = 2;
    /** STREAM_LISTPACK_MAX_SIZE: no node grows past 1 GB whatever stream-node-max-bytes says. */
    static final long LISTPACK_MAX_SIZE = 1L << 30;

    /** Why append refused an entry (xaddCommand turns these into its error replies). */
    public enum AppendError { ID_NOT_GREATER, TOO_LARGE, SEQUENCE_EXHAUSTED }

    /** Thrown by append; nothing was changed. */
    public static final class AppendException extends Exception {
        public final AppendError reason;

        AppendException(AppendError reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }
    }

    final TreeMap<StreamId, StreamNode> rax = new TreeMap<>();
    long length;
    StreamId lastId = StreamId.MIN;
    StreamId firstId = StreamId.MIN;
    StreamId maxDeletedEntryId = StreamId.MIN;
    long entriesAdded;
    private final TreeMap<Bytes, StreamGroup> groups = new TreeMap<>();

    @Override
    public RType type() {
        return RType.STREAM;
    }

    /**
     * The number of live entries, capped to an int. An empty stream is still a key (XDEL of every entry leaves
     * it, with its last_id and groups): Keyspace.update does not delete it.
     */
    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, length);
    }

    @Override
    public String encoding() {
        return "stream";
    }

    // ---- metadata ----

    public long length() {
        return length;
    }

    public StreamId lastId() {
        return lastId;
    }

    public void setLastId(StreamId id) {
        lastId = id;
    }

    public StreamId firstId() {
        return firstId;
    }

    public void setFirstId(StreamId id) {
        firstId = id;
    }

    public StreamId maxDeletedEntryId() {
        return maxDeletedEntryId;
    }

    public void setMaxDeletedEntryId(StreamId id) {
        maxDeletedEntryId = id;
    }

    public long entriesAdded() {
        return entriesAdded;
    }

    public void setEntriesAdded(long n) {
        entriesAdded = n;
    }

    /** The number of radix tree nodes (XINFO STREAM's radix-tree-keys, the RDB's listpack count). */
    public int nodeCount() {
        return rax.size();
    }

    /** The nodes in ID order: master ID to a copy of the listpack bytes (RDB writer, tests). */
    public NavigableMap<StreamId, byte[]> nodes() {
        TreeMap<StreamId, byte[]> out = new TreeMap<>();
        rax.forEach((k, n) -> out.put(k, n.listpack()));
        return out;
    }

    /** Each node's listpack allocation as Redis's zmalloc_size would report it, in ID order (MEMORY USAGE). */
    public long[] nodeAllocations() {
        long[] out = new long[rax.size()];
        int i = 0;
        for (StreamNode n : rax.values()) {
            out[i++] = n.allocated();
        }
        return out;
    }

    /** Adds a node as loaded from an RDB (raxTryInsert): false when a node with that master ID exists. */
    public boolean loadNode(StreamId master, byte[] listpack) {
        return rax.putIfAbsent(master, StreamNode.of(master, listpack)) == null;
    }

    /** Sets the length as loaded (the RDB keeps it, it is not counted from the nodes). */
    public void setLength(long n) {
        length = n;
    }

    // ---- entries ----

    /** streamNextID: now if the clock is past last_id's milliseconds, else last_id's successor. */
    public StreamId nextId(long nowMs) {
        if (Long.compareUnsigned(nowMs, lastId.ms()) > 0) {
            return new StreamId(nowMs, 0);
        }
        StreamId n = lastId.incr();
        return n == null ? StreamId.MIN : n; // wraps, and the caller's ordering check then refuses it
    }

    /**
     * streamAppendItem: adds an entry of argv's field/value pairs (argv.length even, at least 2). useId null
     * generates the ID from nowMs; with seqGiven false only useId's ms is taken and the sequence follows
     * last_id's. Starts a new node when the tail one is full (see StreamAppend).
     */
    public StreamId append(byte[][] argv, StreamId useId, boolean seqGiven, long nowMs) throws AppendException {
        return StreamAppend.append(this, argv, useId, seqGiven, nowMs);
    }

    /** streamIteratorStart: entries from start to end inclusive (null: unbounded), tombstones skipped. */
    public StreamIterator iterator(StreamId start, StreamId end, boolean rev) {
        return new StreamIterator(this, start, end, rev);
    }

    /** streamEntryExists: a live entry with this ID. */
    public boolean entryExists(StreamId id) {
        StreamIterator it = iterator(id, id, false);
        return it.next();
    }

    /** streamDeleteItem: flags the entry deleted; false when there is no live entry with this ID. */
    public boolean deleteItem(StreamId id) {
        StreamIterator it = iterator(id, id, false);
        if (!it.next()) {
            return false;
        }
        it.removeEntry();
        return true;
    }

    /**
     * XDEL's work on the stream: deletes each ID (streamDeleteItem), raises max_deleted_entry_id, and sets
     * first_id again when the first entry went. Returns how many entries were deleted.
     */
    public int deleteEntries(Iterable<StreamId> ids) {
        int deleted = 0;
        boolean firstEntry = false;
        for (StreamId id : ids) {
            if (deleteItem(id)) {
                if (id.equals(firstId)) {
                    firstEntry = true;
                }
                if (id.compareTo(maxDeletedEntryId) > 0) {
                    maxDeletedEntryId = id;
                }
                deleted++;
            }
        }
        if (deleted > 0) {
            if (length == 0) {
                firstId = StreamId.MIN;
            } else if (firstEntry) {
                firstId = edgeId(true, true);
            }
        }
        return deleted;
    }

    /**
     * streamGetEdgeID: the first or last entry's ID (tombstones too unless skipped); when there is none, the
     * maximum ID for the first and 0-0 for the last, as Redis answers.
     */
    public StreamId edgeId(boolean first, boolean skipTombstones) {
        StreamIterator it = iterator(null, null, !first);
        if (!skipTombstones) {
            it.includeTombstones();
        }
        if (it.next()) {
            return it.id();
        }
        return first ? StreamId.MAX : StreamId.MIN;
    }

    /** streamLastValidID: the last live entry's ID, 0-0 when empty. */
    public StreamId lastValidId() {
        StreamIterator it = iterator(null, null, true);
        return it.next() ? it.id() : StreamId.MIN;
    }

    /**
     * The LIMIT XADD / XTRIM use with "~" when none is given: 100 nodes' worth of entries, within 1 .. 1000000
     * (10000 when stream-node-max-entries is 0).
     */
    public static long defaultApproxLimit() {
        long limit = 100 * EncodingLimits.streamNodeMaxEntries;
        if (limit <= 0) {
            limit = 10000;
        }
        return Math.min(limit, 1000000);
    }

    /** streamTrim by MAXLEN (see StreamTrim); limit 0 is unlimited. Returns the entries removed. */
    public long trimByLength(long maxlen, boolean approx, long limit) {
        return StreamTrim.trim(this, false, maxlen, null, approx, limit);
    }

    /** streamTrim by MINID: no entry below minid remains (whole nodes only when approx). */
    public long trimByMinId(StreamId minid, boolean approx, long limit) {
        return StreamTrim.trim(this, true, 0, minid, approx, limit);
    }

    /** streamRangeHasTombstones (the caller checked start < last_id); null bounds are unbounded. */
    public boolean rangeHasTombstones(StreamId start, StreamId end) {
        if (length == 0 || maxDeletedEntryId.isZero()) {
            return false;
        }
        if (firstId.compareTo(maxDeletedEntryId) > 0) {
            return false;
        }
        StreamId s = start == null ? StreamId.MIN : start;
        StreamId e = end == null ? StreamId.MAX : end;
        return s.compareTo(maxDeletedEntryId) <= 0 && maxDeletedEntryId.compareTo(e) <= 0;
    }

    /**
     * streamEstimateDistanceFromFirstEverEntry: the entries_read counter a group at this ID would have, or
     * StreamGroup.INVALID_ENTRIES_READ when it cannot be known (tombstones ahead, a future or middle ID).
     */
    public long estimateDistanceFromFirstEverEntry(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (length == 0 && id.compareTo(lastId) < 1) {
            return entriesAdded;
        }
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return StreamGroup.INVALID_ENTRIES_READ;
        }
        int cmpFirst = id.compareTo(firstId);
        if (maxDeletedEntryId.isZero() || maxDeletedEntryId.compareTo(firstId) < 0) {
            if (cmpFirst < 0) {
                return entriesAdded - length;
            } else if (cmpFirst == 0) {
                return entriesAdded - length + 1;
            }
        }
        return StreamGroup.INVALID_ENTRIES_READ;
    }

    // ---- consumer groups ----

    /** streamCreateCG: null when a group of that name exists. */
    public StreamGroup createGroup(byte[] name, StreamId lastDelivered, long entriesRead) {
        Bytes k = new Bytes(name);
        if (groups.containsKey(k)) {
            return null;
        }
        StreamGroup g = new StreamGroup(name, lastDelivered, entriesRead);
        groups.put(k, g);
        return g;
    }

    public StreamGroup group(byte[] name) {
        return groups.get(new Bytes(name));
    }

    /** XGROUP DESTROY: false when there is no such group. */
    public boolean destroyGroup(byte[] name) {
        return groups.remove(new Bytes(name)) != null;
    }

    /** The groups by name in the radix tree's order (bytes, unsigned). */
    public NavigableMap<Bytes, StreamGroup> groups() {
        return Collections.unmodifiableNavigableMap(groups);
    }

    /** streamDup (COPY): the same nodes, bytes and metadata, and groups with their own PELs and consumers. */
    public RStream duplicate() {
        RStream n = new RStream();
        for (Map.Entry<StreamId, StreamNode> e : rax.entrySet()) {
            n.rax.put(e.getKey(), StreamNode.of(e.getKey(), e.getValue().listpack()));
        }
        n.length = length;
        n.firstId = firstId;
        n.lastId = lastId;
        n.maxDeletedEntryId = maxDeletedEntryId;
        n.entriesAdded = entriesAdded;
        for (StreamGroup g : groups.values()) {
            n.groups.put(new Bytes(g.name()), g.duplicate());
        }
        return n;
    }
}
