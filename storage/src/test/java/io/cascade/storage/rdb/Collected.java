package io.cascade.storage.rdb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An RdbVisitor for tests: keeps every event in order. */
final class Collected implements RdbVisitor {
    record Key(int db, byte[] key, int rdbType, Object value, long expireAt, long idle, int freq,
               Map<String, Long> fieldTtls) {
    }

    record Module(int db, byte[] key, String name, int encver, int when) {
    }

    int version;
    final List<Key> keys = new ArrayList<>();
    final List<byte[][]> aux = new ArrayList<>();
    final List<byte[]> functions = new ArrayList<>();
    final List<Module> modules = new ArrayList<>();
    final List<byte[]> empty = new ArrayList<>();
    final List<byte[]> expired = new ArrayList<>();
    final List<Integer> selects = new ArrayList<>();
    final List<long[]> resizes = new ArrayList<>();
    long checksum = -1;
    boolean verified;
    private Map<String, Long> pendingTtls = Map.of();

    @Override
    public void header(int rdbVersion) {
        version = rdbVersion;
    }

    @Override
    public void aux(byte[] name, byte[] value) {
        aux.add(new byte[][] {name, value});
    }

    @Override
    public void selectDb(int db) {
        selects.add(db);
    }

    @Override
    public void resizeDb(long keys, long expires) {
        resizes.add(new long[] {keys, expires});
    }

    @Override
    public void key(int db, byte[] key, int rdbType, Object value, long expireAtMs, long lruIdle, int lfuFreq) {
        keys.add(new Key(db, key, rdbType, value, expireAtMs, lruIdle, lfuFreq, pendingTtls));
        pendingTtls = Map.of();
    }

    @Override
    public void hashFieldTtls(int db, byte[] key, List<FieldTtl> kept, int expiredDropped) {
        Map<String, Long> m = new HashMap<>();
        kept.forEach(t -> m.put(RdbRender.bytes(t.field()), t.expireAtMs()));
        pendingTtls = m;
    }

    @Override
    public void keyExpired(int db, byte[] key, long expireAtMs) {
        expired.add(key);
    }

    @Override
    public void emptyKeySkipped(int db, byte[] key, int rdbType, long offset) {
        empty.add(key);
    }

    @Override
    public void function(byte[] code) {
        functions.add(code);
    }

    @Override
    public void moduleSkipped(int db, byte[] key, String moduleName, int encver, int when, long offset) {
        modules.add(new Module(db, key, moduleName, encver, when));
    }

    @Override
    public void end(long checksum, boolean verified) {
        this.checksum = checksum;
        this.verified = verified;
    }
}
