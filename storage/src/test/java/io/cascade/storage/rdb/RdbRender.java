package io.cascade.storage.rdb;

import com.fasterxml.jackson.databind.JsonNode;
import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;
import io.cascade.storage.types.RStream;
import io.cascade.storage.types.RZSet;
import io.cascade.storage.types.StreamConsumer;
import io.cascade.storage.types.StreamGroup;
import io.cascade.storage.types.StreamId;
import io.cascade.storage.types.StreamIterator;
import io.cascade.storage.types.StreamNack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts loaded values and the corpus's expected JSON into one comparable form (plain lists, maps, strings and
 * longs; byte strings as ISO-8859-1 strings of their bytes, scores as doubles with -0 taken as 0). What the
 * server computes rather than reads from the RDB is left out of the expected side: a group's "lag", and a
 * consumer's "active-time" (a 7.2 field that Cascade, modelling 7.0, does not keep). Test helper.
 */
final class RdbRender {
    private RdbRender() {
    }

    static String bytes(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** A JSON byte string: a string (its UTF-8 bytes) or {"hex": "..."}. */
    static String bytes(JsonNode n) {
        if (n.isObject() && n.has("hex")) {
            return bytes(HexFormat.of().parseHex(n.get("hex").asText()));
        }
        return bytes(n.asText().getBytes(StandardCharsets.UTF_8));
    }

    static String type(Object v) {
        if (v instanceof byte[]) {
            return "string";
        }
        if (v instanceof RList) {
            return "list";
        }
        if (v instanceof RSet) {
            return "set";
        }
        if (v instanceof RZSet) {
            return "zset";
        }
        if (v instanceof RHash) {
            return "hash";
        }
        return v instanceof RStream ? "stream" : v.getClass().getSimpleName();
    }

    /** A loaded value; {@code fieldTtls} gives the hash field TTLs the reader reported (may be empty). */
    static Object value(Object v, Map<String, Long> fieldTtls) {
        if (v instanceof byte[] b) {
            return bytes(b);
        }
        List<Object> out = new ArrayList<>();
        if (v instanceof RList l) {
            for (int i = 0; i < l.size(); i++) {
                out.add(bytes(l.get(i)));
            }
        } else if (v instanceof RSet s) {
            s.forEach(m -> out.add(bytes(m)));
            out.sort(null); // ISO-8859-1 chars compare as the unsigned bytes do
        } else if (v instanceof RZSet z) {
            z.forEach((m, score) -> out.add(List.of(bytes(m), score(score))));
        } else if (v instanceof RHash h) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            h.forEach((f, val) -> {
                String k = bytes(f);
                Long ttl = fieldTtls.get(k);
                sorted.put(k, ttl == null ? List.of(k, bytes(val)) : List.of(k, bytes(val), ttl));
            });
            out.addAll(sorted.values());
        } else if (v instanceof RStream s) {
            return stream(s);
        } else {
            throw new AssertionError("unexpected value " + v);
        }
        return out;
    }

    static Double score(double d) {
        return d == 0 ? 0.0 : d;
    }

    private static Map<String, Object> stream(RStream s) {
        Map<String, Object> m = new TreeMap<>();
        List<Object> entries = new ArrayList<>();
        StreamIterator it = s.iterator(StreamId.MIN, StreamId.MAX, false);
        while (it.next()) {
            List<Object> fv = new ArrayList<>();
            for (int i = 0; i < it.numFields(); i++) {
                fv.add(bytes(it.field(i)));
                fv.add(bytes(it.value(i)));
            }
            entries.add(List.of(it.id().toString(), fv));
        }
        m.put("entries", entries);
        m.put("entries-added", s.entriesAdded());
        m.put("last-generated-id", s.lastId().toString());
        m.put("length", s.length());
        m.put("max-deleted-entry-id", s.maxDeletedEntryId().toString());
        m.put("recorded-first-entry-id", s.firstId().toString());
        List<Object> groups = new ArrayList<>();
        for (StreamGroup g : s.groups().values()) {
            Map<String, Object> gm = new TreeMap<>();
            gm.put("name", bytes(g.name()));
            gm.put("last-delivered-id", g.lastId().toString());
            gm.put("entries-read", g.entriesRead() == StreamGroup.INVALID_ENTRIES_READ ? null : g.entriesRead());
            List<Object> pel = new ArrayList<>();
            for (Map.Entry<StreamId, StreamNack> e : g.pel().entrySet()) {
                StreamNack n = e.getValue();
                pel.add(Arrays.asList(e.getKey().toString(), bytes(n.consumer().name()), n.deliveryTime(),
                        n.deliveryCount()));
            }
            gm.put("pel", pel);
            gm.put("pel-count", (long) pel.size());
            List<Object> consumers = new ArrayList<>();
            for (StreamConsumer c : g.consumers().values()) {
                Map<String, Object> cm = new TreeMap<>();
                cm.put("name", bytes(c.name()));
                cm.put("seen-time", c.seenTime());
                List<Object> cpel = new ArrayList<>();
                for (Map.Entry<StreamId, StreamNack> e : c.pel().entrySet()) {
                    cpel.add(List.of(e.getKey().toString(), e.getValue().deliveryTime(), e.getValue().deliveryCount()));
                }
                cm.put("pel", cpel);
                cm.put("pel-count", (long) cpel.size());
                consumers.add(cm);
            }
            gm.put("consumers", consumers);
            groups.add(gm);
        }
        m.put("groups", groups);
        return m;
    }

    /** An expected value of the given type, in the same form. */
    static Object expected(String type, JsonNode v) {
        switch (type) {
            case "string":
                return bytes(v);
            case "list":
            case "set": {
                List<Object> out = new ArrayList<>();
                v.forEach(e -> out.add(bytes(e)));
                return out;
            }
            case "zset": {
                List<Object> out = new ArrayList<>();
                v.forEach(e -> out.add(List.of(bytes(e.get(0)), score(parseScore(e.get(1).asText())))));
                return out;
            }
            case "hash": {
                List<Object> out = new ArrayList<>();
                v.forEach(e -> out.add(e.size() == 3 ? List.of(bytes(e.get(0)), bytes(e.get(1)), e.get(2).asLong())
                        : List.of(bytes(e.get(0)), bytes(e.get(1)))));
                return out;
            }
            case "stream":
                return plain(v, "");
            default:
                throw new AssertionError("no rendering for type " + type);
        }
    }

    static double parseScore(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /** JSON to plain Java, dropping the server-computed fields named in the class comment. */
    private static Object plain(JsonNode n, String path) {
        if (n.isNull()) {
            return null;
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            n.forEach(e -> out.add(plain(e, path)));
            return out;
        }
        if (n.isObject()) {
            Map<String, Object> out = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("lag") || e.getKey().equals("active-time")) {
                    continue;
                }
                out.put(e.getKey(), plain(e.getValue(), path + "/" + e.getKey()));
            }
            return out;
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        return bytes(n);
    }

    /** A key line of an expected file, for messages. */
    static Map<String, Object> describe(JsonNode key) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", bytes(key.get("key")));
        m.put("type", key.get("type").asText());
        return m;
    }
}
