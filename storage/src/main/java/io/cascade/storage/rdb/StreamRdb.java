package io.cascade.storage.rdb;

import io.cascade.storage.types.RStream;
import io.cascade.storage.types.StreamConsumer;
import io.cascade.storage.types.StreamGroup;
import io.cascade.storage.types.StreamId;
import io.cascade.storage.types.StreamNack;

import java.util.Map;

/**
 * A stream in the RDB object format (rdb.c): the nodes as they are (16-byte master ID, listpack), the length,
 * last_id, first_id, max_deleted_entry_id, entries_added, then every group with its last ID, entries_read, PEL
 * (ID, delivery time, delivery count) and consumers (name, seen time, the IDs they own). Writes
 * RDB_TYPE_STREAM_LISTPACKS_2 as 7.0 does; reads that, the older STREAM_LISTPACKS (6.x: the missing fields are
 * derived as 7.0 derives them) and 7.2's STREAM_LISTPACKS_3 (its consumer active time is dropped: 7.0 has
 * none). Every node listpack is checked as streamValidateListpackIntegrity does in deep mode, whatever
 * sanitize-dump-payload says, so that a bad payload is refused instead of breaking a later command. Any
 * thread (one reader or writer per payload).
 */
final class StreamRdb {
    private StreamRdb() {
    }

    static void write(RdbValueWriter w, RStream s) {
        Map<StreamId, byte[]> nodes = s.nodes();
        w.writeLen(nodes.size());
        for (Map.Entry<StreamId, byte[]> e : nodes.entrySet()) {
            w.writeString(e.getKey().encode());
            w.writeString(e.getValue()); // may be LZF-compressed, as rdbSaveRawString does for any string
        }
        w.writeLen(s.length());
        writeId(w, s.lastId());
        writeId(w, s.firstId());
        writeId(w, s.maxDeletedEntryId());
        w.writeLen(s.entriesAdded());
        w.writeLen(s.groups().size());
        for (StreamGroup g : s.groups().values()) {
            w.writeString(g.name());
            writeId(w, g.lastId());
            w.writeLen(g.entriesRead()); // -1 (unknown) goes out as a 64-bit all-ones length
            w.writeLen(g.pel().size());
            for (Map.Entry<StreamId, StreamNack> e : g.pel().entrySet()) {
                w.writeRaw(e.getKey().encode());
                w.writeMillis(e.getValue().deliveryTime());
                w.writeLen(e.getValue().deliveryCount());
            }
            w.writeLen(g.consumers().size());
            for (StreamConsumer c : g.consumers().values()) {
                w.writeString(c.name());
                w.writeMillis(c.seenTime());
                w.writeLen(c.pel().size());
                for (StreamId id : c.pel().keySet()) {
                    w.writeRaw(id.encode());
                }
            }
        }
    }

    private static void writeId(RdbValueWriter w, StreamId id) {
        w.writeLen(id.ms());
        w.writeLen(id.seq());
    }

    static RStream read(RdbValueReader r, int type) {
        RStream s = new RStream();
        long listpacks = r.readLenUnsigned();
        for (long i = 0; i < listpacks; i++) {
            byte[] key = r.readString();
            if (key.length != 16) {
                throw new RdbFormatException("Stream node key entry is not the size of a stream ID");
            }
            byte[] lp = r.readString();
            validateNode(lp);
            if (ListpackCursor.first(lp) == -1) {
                throw new RdbFormatException("Empty listpack inside stream");
            }
            if (!s.loadNode(StreamId.decode(key, 0), lp)) {
                throw new RdbFormatException("Listpack re-added with existing key");
            }
        }
        s.setLength(r.readLenUnsigned());
        s.setLastId(readId(r));
        if (type != RdbType.STREAM_LISTPACKS) {
            s.setFirstId(readId(r));
            s.setMaxDeletedEntryId(readId(r));
            s.setEntriesAdded(r.readLenUnsigned());
        } else {
            // 6.x kept none of these: 7.0 takes the length as the count ever added, and finds the first entry
            s.setMaxDeletedEntryId(StreamId.MIN);
            s.setEntriesAdded(s.length());
            s.setFirstId(s.edgeId(true, true));
        }
        if (s.length() != 0 && s.nodeCount() == 0) {
            throw new RdbFormatException("Stream length inconsistent with rax entries");
        }
        long groups = r.readLenUnsigned();
        for (long i = 0; i < groups; i++) {
            readGroup(r, type, s);
        }
        return s;
    }

    private static void readGroup(RdbValueReader r, int type, RStream s) {
        byte[] name = r.readString();
        StreamId lastId = readId(r);
        long entriesRead = type != RdbType.STREAM_LISTPACKS ? r.readLenUnsigned()
                : s.estimateDistanceFromFirstEverEntry(lastId);
        StreamGroup g = s.createGroup(name, lastId, entriesRead);
        if (g == null) {
            throw new RdbFormatException("Duplicated consumer group name");
        }
        long pel = r.readLenUnsigned();
        for (long j = 0; j < pel; j++) {
            StreamId id = StreamId.decode(r.readRaw(16), 0);
            long time = r.readMillis();
            long count = r.readLenUnsigned();
            if (g.addPending(id, null, time, count) == null) {
                throw new RdbFormatException("Duplicated global PEL entry loading stream consumer group");
            }
        }
        long consumers = r.readLenUnsigned();
        for (long j = 0; j < consumers; j++) {
            byte[] cname = r.readString();
            StreamConsumer c = g.loadConsumer(cname, 0);
            if (c == null) {
                throw new RdbFormatException("Duplicate stream consumer detected.");
            }
            c.setSeenTime(r.readMillis());
            if (type == RdbType.STREAM_LISTPACKS_3) {
                r.readMillis(); // active_time: 7.2 only
            }
            long owned = r.readLenUnsigned();
            for (long k = 0; k < owned; k++) {
                if (!g.loadConsumerPending(c, StreamId.decode(r.readRaw(16), 0))) {
                    throw new RdbFormatException("Consumer entry not found in group global PEL");
                }
            }
        }
        if (!g.everyPendingOwned()) {
            throw new RdbFormatException("Stream CG PEL entry without consumer");
        }
    }

    private static StreamId readId(RdbValueReader r) {
        long ms = r.readLenUnsigned();
        return new StreamId(ms, r.readLenUnsigned());
    }

    /**
     * streamValidateListpackIntegrity, deep: a valid listpack whose master entry and entries have the
     * stream's shape (integers where integers go, the master terminator 0, each entry's lp-count right), with
     * exactly count + deleted entries and nothing after them. Walks one element ahead as Redis does.
     */
    static void validateNode(byte[] lp) {
        if (!ListpackCursor.validHeader(lp)) {
            throw new RdbFormatException("Stream listpack integrity check failed.");
        }
        Walk w = new Walk(lp);
        long entries = w.integer(); // count
        w.step();
        entries += w.integer(); // deleted
        w.step();
        long masterFields = w.integer();
        w.step();
        for (long j = 0; j < masterFields; j++) {
            w.step();
        }
        if (w.integer() != 0) {
            throw new RdbFormatException("Stream listpack integrity check failed.");
        }
        w.step();
        while (entries-- > 0) {
            long fields = masterFields;
            long extra = 3;
            long flags = w.integer();
            w.step();
            w.integer(); // ms delta
            w.step();
            w.integer(); // seq delta
            w.step();
            if ((flags & RStream.FLAG_SAMEFIELDS) == 0) {
                fields = w.integer();
                w.step();
                for (long j = 0; j < fields; j++) {
                    w.step();
                }
                extra += fields + 1;
            }
            for (long j = 0; j < fields; j++) {
                w.step();
            }
            if (w.integer() != fields + extra) {
                throw new RdbFormatException("Stream listpack integrity check failed.");
            }
            w.step();
        }
        if (w.next != -1) {
            throw new RdbFormatException("Stream listpack integrity check failed.");
        }
    }

    /** The p / next pair of streamValidateListpackIntegrity: p is validated before it is read. */
    private static final class Walk {
        private final byte[] lp;
        private int p;
        private int next;

        Walk(byte[] lp) {
            this.lp = lp;
            p = ListpackCursor.isEnd(lp, 6) ? -1 : 6; // lpValidateFirst
            if (p == -1) {
                throw new RdbFormatException("Stream listpack integrity check failed.");
            }
            next = ListpackCursor.validNext(lp, p);
        }

        /** p = next, and next validated one further. */
        void step() {
            p = next;
            next = ListpackCursor.validNext(lp, next);
        }

        long integer() {
            if (p == -1 || ListpackCursor.isEnd(lp, p)) {
                throw new RdbFormatException("Stream listpack integrity check failed.");
            }
            return ListpackCursor.getInteger(lp, p);
        }
    }
}
