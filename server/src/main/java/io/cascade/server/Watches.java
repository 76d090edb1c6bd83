package io.cascade.server;

import io.cascade.server.net.Client;
import io.cascade.storage.Key;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * WATCHed keys, as Redis's watched_keys dicts: (db, key) to the clients watching it, so that a write can mark
 * them dirty (their EXEC then returns a null array). Command thread only.
 */
public final class Watches {
    private record DbKey(int db, Key key) {
    }

    private final Map<DbKey, Set<Client>> watchers = new HashMap<>();
    private final Map<Client, List<DbKey>> byClient = new HashMap<>();

    public void watch(Client client, int db, byte[] key) {
        DbKey dk = new DbKey(db, new Key(key));
        List<DbKey> mine = byClient.computeIfAbsent(client, c -> new ArrayList<>());
        if (!mine.contains(dk)) {
            mine.add(dk);
            watchers.computeIfAbsent(dk, k -> new LinkedHashSet<>()).add(client);
        }
    }

    public void unwatchAll(Client client) {
        List<DbKey> mine = byClient.remove(client);
        if (mine == null) {
            return;
        }
        for (DbKey dk : mine) {
            Set<Client> set = watchers.get(dk);
            if (set != null && set.remove(client) && set.isEmpty()) {
                watchers.remove(dk);
            }
        }
        client.watchDirty = false;
    }

    public boolean watching(Client client) {
        return byClient.containsKey(client);
    }

    /** signalModifiedKey: every client watching this key will see its EXEC fail. */
    public void touch(int db, byte[] key) {
        if (watchers.isEmpty()) {
            return;
        }
        Set<Client> set = watchers.get(new DbKey(db, new Key(key)));
        if (set != null) {
            for (Client c : set) {
                c.watchDirty = true;
            }
        }
    }

    /** FLUSHDB, FLUSHALL (db = -1) and SWAPDB: touch every watched key of the database(s). */
    public void touchDb(int db) {
        for (Map.Entry<DbKey, Set<Client>> e : watchers.entrySet()) {
            if (db < 0 || e.getKey().db() == db) {
                for (Client c : e.getValue()) {
                    c.watchDirty = true;
                }
            }
        }
    }
}
