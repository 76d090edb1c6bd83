package io.cascade.storage.rdb;

import io.cascade.storage.Databases;
import io.cascade.storage.Keyspace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Loads an RDB file or stream into a fresh Databases that the caller provides and swaps in afterwards, so a
 * failed load never touches the dataset in use (Redis's swapdb way of loading). As rdbLoad does: keys already
 * expired are dropped on a master and kept on a replica, duplicate keys and a SELECTDB past "databases" are
 * fatal, AUX fields are kept (repl-id only when 40 characters long), "lua" AUX scripts are ignored, function
 * libraries are kept as code (Cascade has no scripting yet). Module data and field TTLs cannot be loaded and
 * are reported as warnings. Runs on a loading thread; the target must not be in use by anyone else meanwhile.
 */
public final class RdbLoader {
    /** Called about once a second or every progressBytes with the bytes read and keys loaded so far. */
    public interface Progress {
        void report(long bytesRead, long keysLoaded);
    }

    /** Called after each key is stored, with its LRU idle seconds and LFU counter from the file (-1 absent). */
    public interface KeyHook {
        void loaded(Keyspace db, byte[] key, long lruIdleSeconds, int lfuFreq);
    }

    /** Called for a key the load dropped as expired, with the number of its database. */
    public interface ExpiredHook {
        void expired(int db, byte[] key);
    }

    /** Load options; the defaults are a master's (expired keys dropped, checksum verified). */
    public static final class Options {
        boolean dropExpired = true;
        boolean verifyChecksum = true;
        LongSupplier clock = System::currentTimeMillis;
        Progress progress;
        long progressBytes = 2L << 20;
        long progressNanos = 1_000_000_000L;
        KeyHook keyHook;
        ExpiredHook expiredHook;
        boolean allowDuplicates;
        Consumer<String> warnings = w -> { };
        int maxDatabases = Integer.MAX_VALUE;

        /** The "databases" setting (the target's db count when smaller): a SELECTDB at or past it is fatal. */
        public Options maxDatabases(int n) {
            this.maxDatabases = n;
            return this;
        }

        /** False on a replica and for an AOF base/preamble: keys past their expire time are loaded too. */
        public Options dropExpired(boolean drop) {
            this.dropExpired = drop;
            return this;
        }

        /** rdbchecksum. */
        public Options verifyChecksum(boolean verify) {
            this.verifyChecksum = verify;
            return this;
        }

        /** The time expired keys are judged against (read once, at the start, as Redis does). */
        public Options clock(LongSupplier nowMs) {
            this.clock = nowMs;
            return this;
        }

        public Options progress(Progress p, long everyBytes, long everyMillis) {
            this.progress = p;
            this.progressBytes = everyBytes;
            this.progressNanos = everyMillis * 1_000_000L;
            return this;
        }

        /** DEBUG RELOAD MERGE (RDBFLAGS_ALLOW_DUP): a key already there is replaced instead of failing the load. */
        public Options allowDuplicates(boolean allow) {
            this.allowDuplicates = allow;
            return this;
        }

        /** Called for each key dropped because its time had passed (a master feeds their DELs to replicas). */
        public Options expiredHook(ExpiredHook hook) {
            this.expiredHook = hook;
            return this;
        }

        public Options keyHook(KeyHook hook) {
            this.keyHook = hook;
            return this;
        }

        /** Where warnings go as they happen (a module value skipped, field TTLs lost, empty keys). */
        public Options warnings(Consumer<String> sink) {
            this.warnings = sink;
            return this;
        }
    }

    /** What a load found besides the keys. */
    public record Result(int rdbVersion, long bytesConsumed, long keysLoaded, long keysExpired, long emptyKeysSkipped,
                         long moduleValuesSkipped, Map<String, byte[]> aux, List<byte[]> functions,
                         List<String> warnings) {
        /** An AUX value as text (ISO-8859-1), or null. Names are compared as Redis does: case-insensitively. */
        public String auxString(String name) {
            byte[] v = aux.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : new String(v, StandardCharsets.ISO_8859_1);
        }

        /** repl-id when it is 40 characters long (Redis ignores other lengths), else null. */
        public String replId() {
            String id = auxString("repl-id");
            return id != null && id.length() == 40 ? id : null;
        }

        /** repl-offset (strtoll: 0 when not a number), or -1 when absent. */
        public long replOffset() {
            String s = auxString("repl-offset");
            return s == null ? -1 : Conv.strtoll(s);
        }

        /** repl-stream-db (atoi), or -1 when absent. */
        public int replStreamDb() {
            String s = auxString("repl-stream-db");
            return s == null ? -1 : (int) Conv.strtoll(s);
        }

        /** aof-base (7.0+) or aof-preamble (4.0-6.2) non-zero. */
        public boolean aofBase() {
            String b = auxString("aof-base");
            String p = auxString("aof-preamble");
            return (b != null && Conv.strtoll(b) != 0) || (p != null && Conv.strtoll(p) != 0);
        }
    }

    private RdbLoader() {
    }

    public static Result load(Path file, Databases target, Options options) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, target, options);
        }
    }

    /** Reads the RDB at the start of {@code in} (nothing past its checksum is needed) into {@code target}. */
    public static Result load(InputStream in, Databases target, Options options) throws IOException {
        return load(RdbInput.of(in), target, options);
    }

    /**
     * The same from an RdbInput the caller keeps, to go on after the RDB with what the buffer holds past it
     * (RdbInput.unconsumed: an AOF tail, the replication stream).
     */
    public static Result load(RdbInput input, Databases target, Options options) throws IOException {
        Sink sink = new Sink(target, options);
        RdbFileReader reader = new RdbFileReader(input, sink)
                .maxDatabases(Math.min(target.count(), options.maxDatabases))
                .verifyChecksum(options.verifyChecksum)
                .dropExpiredBefore(options.dropExpired ? options.clock.getAsLong() : -1);
        sink.input = input;
        reader.read();
        if (options.progress != null) {
            options.progress.report(input.position(), sink.loaded);
        }
        return new Result(reader.version(), reader.bytesConsumed(), sink.loaded, sink.expired, sink.empty,
                sink.modules, Collections.unmodifiableMap(sink.aux), Collections.unmodifiableList(sink.functions),
                Collections.unmodifiableList(sink.warnings));
    }

    /** The visitor that stores what the reader finds. */
    private static final class Sink implements RdbVisitor {
        private static final int MAX_WARNINGS = 100;
        private final Databases target;
        private final Options o;
        RdbInput input;
        long loaded;
        long expired;
        long empty;
        long modules;
        final Map<String, byte[]> aux = new LinkedHashMap<>();
        final List<byte[]> functions = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        private long lastBytes;
        private long lastNanos = System.nanoTime();

        Sink(Databases target, Options o) {
            this.target = target;
            this.o = o;
        }

        @Override
        public void aux(byte[] name, byte[] value) {
            String n = new String(name, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            if (!n.equals("lua")) { // 4.0-6.2 saved cached scripts: Redis 7 no longer loads them
                aux.put(n, value);
            }
        }

        private int db;

        @Override
        public void selectDb(int db) {
            this.db = db;
        }

        /** RESIZEDB: the store sizes its tables for the keys to come instead of growing through them. */
        @Override
        public void resizeDb(long keys, long expires) {
            target.db(db).expectKeys(keys);
        }

        @Override
        public void key(int db, byte[] key, int rdbType, Object value, long expireAtMs, long lruIdle, int lfuFreq) {
            Keyspace ks = target.db(db);
            long before = ks.size();
            ks.load(key, value, expireAtMs);
            if (ks.size() == before && !o.allowDuplicates) {
                throw new RdbFormatException("RDB has duplicated key '" + RdbFileReader.printable(key) + "' in DB " + db
                        + " (before offset " + input.position() + ")");
            }
            loaded++;
            if (o.keyHook != null) {
                o.keyHook.loaded(ks, key, lruIdle, lfuFreq);
            }
            if (o.progress != null) {
                long bytes = input.position();
                if (bytes - lastBytes >= o.progressBytes || ((loaded & 1023) == 0 && System.nanoTime() - lastNanos >= o.progressNanos)) {
                    lastBytes = bytes;
                    lastNanos = System.nanoTime();
                    o.progress.report(bytes, loaded);
                }
            }
        }

        @Override
        public void keyExpired(int db, byte[] key, long expireAtMs) {
            expired++;
            if (o.expiredHook != null) {
                o.expiredHook.expired(db, key);
            }
        }

        @Override
        public void hashFieldTtls(int db, byte[] key, List<FieldTtl> kept, int expiredDropped) {
            warn("Hash '" + RdbFileReader.printable(key) + "' in DB " + db + " had field TTLs (Redis 7.4), which "
                    + "Cascade does not keep: " + kept.size() + " field(s) loaded without their TTL, "
                    + expiredDropped + " already expired field(s) dropped");
        }

        @Override
        public void emptyKeySkipped(int db, byte[] key, int rdbType, long offset) {
            if (empty++ < 10) {
                warn("rdbLoadObject skipping empty key: " + RdbFileReader.printable(key));
            }
        }

        @Override
        public void function(byte[] code) {
            functions.add(code);
        }

        @Override
        public void moduleSkipped(int db, byte[] key, String moduleName, int encver, int when, long offset) {
            if (key != null) {
                modules++;
                warn("Skipped the value of key '" + RdbFileReader.printable(key) + "' in DB " + db + ": module type '"
                        + moduleName + "' (encver " + encver + ") is not available in Cascade");
            } else {
                warn("Skipped module AUX data of module type '" + moduleName + "' (encver " + encver + ", when "
                        + when + ") at offset " + offset + ": modules are not available in Cascade");
            }
        }

        private void warn(String w) {
            o.warnings.accept(w);
            if (warnings.size() < MAX_WARNINGS) {
                warnings.add(w);
            }
        }
    }

    /** Redis's lenient number parsing of AUX values. */
    private static final class Conv {
        static long strtoll(String s) {
            int i = 0;
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            boolean neg = i < s.length() && s.charAt(i) == '-';
            if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
                i++;
            }
            long v = 0;
            for (; i < s.length() && Character.isDigit(s.charAt(i)) && v < Long.MAX_VALUE / 10; i++) {
                v = v * 10 + (s.charAt(i) - '0');
            }
            return neg ? -v : v;
        }
    }
}
