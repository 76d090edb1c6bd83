package io.cascade.storage.types;

import io.cascade.storage.rdb.Listpack;
import io.cascade.storage.rdb.ListpackCursor;

/**
 * streamAppendItem: an entry goes at the end of the tail node, or into a new node when the tail one is full
 * (its bytes plus the entry's data reach stream-node-max-bytes, or it holds stream-node-max-entries entries,
 * tombstones included). The new node's master entry takes the entry's fields; an entry whose fields are the
 * master's is written with SAMEFIELDS and its values only. Command thread, on an RStream.
 */
final class StreamAppend {
    private StreamAppend() {
    }

    /** See RStream.append. */
    static StreamId append(RStream s, byte[][] argv, StreamId useId, boolean seqGiven, long nowMs)
            throws RStream.AppendException {
        StreamId id;
        if (useId == null) {
            id = s.nextId(nowMs);
        } else if (seqGiven) {
            id = useId;
        } else if (s.lastId.ms() == useId.ms()) {
            if (s.lastId.seq() == -1L) {
                throw new RStream.AppendException(RStream.AppendError.SEQUENCE_EXHAUSTED);
            }
            id = new StreamId(s.lastId.ms(), s.lastId.seq() + 1);
        } else {
            id = useId;
        }
        if (id.compareTo(s.lastId) <= 0) {
            throw new RStream.AppendException(RStream.AppendError.ID_NOT_GREATER);
        }
        int numFields = argv.length / 2;
        long totalLen = 0;
        for (byte[] a : argv) {
            totalLen += a.length;
        }
        if (totalLen > RStream.LISTPACK_MAX_SIZE) {
            throw new RStream.AppendException(RStream.AppendError.TOO_LARGE);
        }
        StreamNode node = s.rax.isEmpty() ? null : s.rax.lastEntry().getValue();
        if (node != null && tailFull(node, totalLen)) {
            node.shrink();
            node = null;
        }
        int flags = RStream.FLAG_NONE;
        if (node == null) {
            node = StreamNode.create(id, argv, numFields);
            s.rax.put(id, node);
            flags |= RStream.FLAG_SAMEFIELDS;
        } else {
            node.setCount(node.count() + 1);
            if (sameFieldsAsMaster(node, argv, numFields)) {
                flags |= RStream.FLAG_SAMEFIELDS;
            }
        }
        boolean same = (flags & RStream.FLAG_SAMEFIELDS) != 0;
        node.append(Listpack.encodeInteger(flags));
        node.append(Listpack.encodeInteger(id.ms() - node.master.ms()));
        node.append(Listpack.encodeInteger(id.seq() - node.master.seq()));
        if (!same) {
            node.append(Listpack.encodeInteger(numFields));
        }
        for (int i = 0; i < numFields; i++) {
            if (!same) {
                node.append(Listpack.encodeEntry(argv[2 * i]));
            }
            node.append(Listpack.encodeEntry(argv[2 * i + 1]));
        }
        // lp-count: how many elements to jump back over to reach this entry's flags
        long lpCount = numFields + 3 + (same ? 0 : numFields + 1);
        node.append(Listpack.encodeInteger(lpCount));
        s.length++;
        s.entriesAdded++;
        s.lastId = id;
        if (s.length == 1) {
            s.firstId = id;
        }
        return id;
    }

    private static boolean tailFull(StreamNode node, long totalLen) {
        long maxBytes = EncodingLimits.streamNodeMaxBytes;
        if (maxBytes == 0 || maxBytes > RStream.LISTPACK_MAX_SIZE) {
            maxBytes = RStream.LISTPACK_MAX_SIZE;
        }
        if (node.bytes() + totalLen >= maxBytes) {
            return true;
        }
        long maxEntries = EncodingLimits.streamNodeMaxEntries;
        return maxEntries != 0 && node.count() + node.deleted() >= maxEntries;
    }

    private static boolean sameFieldsAsMaster(StreamNode node, byte[][] argv, int numFields) {
        byte[] lp = node.lp();
        int p = ListpackCursor.next(lp, ListpackCursor.next(lp, ListpackCursor.first(lp)));
        if (ListpackCursor.getInteger(lp, p) != numFields) {
            return false;
        }
        for (int i = 0; i < numFields; i++) {
            p = ListpackCursor.next(lp, p);
            if (!ListpackCursor.equalsElement(lp, p, argv[2 * i])) {
                return false;
            }
        }
        return true;
    }
}
