package io.cascade.server;

import io.cascade.server.net.Client;
import io.cascade.storage.Databases;
import io.cascade.storage.Key;
import io.cascade.storage.Keyspace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * WATCHed keys, as Redis 7.0's multi.c keeps them: per (db, key) the watchers in the order they came, per client
 * its watched keys, and for each watch whether the key was already logically expired when it was watched (such
 * a key disappearing later is no change). A touched key marks its watchers dirty (CLIENT_DIRTY_CAS), so their
 * EXEC answers a null array. Command thread only.
 */
public final class Watches {
    private record DbKey(int db, Key key) {
    }

    /** One client watching one key (Redis's watchedKey). */
    private static final class Watched {
        final Client client;
        final DbKey key;
        /** The key was logically expired (but still stored) when WATCH ran. */
        boolean expired;

        Watched(Client client, DbKey key, boolean expired) {
            this.client = client;
            this.key = key;
            this.expired = expired;
        }
    }

    private final Map<DbKey, List<Watched>> watchers = new HashMap<>();
    private final Map<Client, List<Watched>> byClient = new HashMap<>();

    /** Redis's watchForKey: the key in db (the client's current database) is watched, once. */
    public void watch(Client client, Keyspace db, byte[] key) {
        DbKey dk = new DbKey(db.index(), new Key(key));
        List<Watched> mine = byClient.computeIfAbsent(client, c -> new ArrayList<>());
        for (Watched w : mine) {
            if (w.key.equals(dk)) {
                return;
            }
        }
        Watched w = new Watched(client, dk, db.isExpired(key));
        mine.add(w);
        watchers.computeIfAbsent(dk, k -> new ArrayList<>()).add(w);
    }

    /** UNWATCH, DISCARD, EXEC's end, RESET, disconnect: forgets the keys and the dirty flag. */
    public void unwatchAll(Client client) {
        dropWatchedKeys(client);
        client.watchDirty = false;
    }

    /** Redis's unwatchAllKeys: forgets the client's keys but keeps CLIENT_DIRTY_CAS. */
    private void dropWatchedKeys(Client client) {
        List<Watched> mine = byClient.remove(client);
        if (mine == null) {
            return;
        }
        for (Watched w : mine) {
            List<Watched> list = watchers.get(w.key);
            if (list != null && list.remove(w) && list.isEmpty()) {
                watchers.remove(w.key);
            }
        }
    }

    public boolean watching(Client client) {
        return byClient.containsKey(client);
    }

    /**
     * Redis's isWatchedKeyExpired, checked by EXEC: a watched key that was alive at WATCH time and is logically
     * expired now fails the transaction, even though nothing deleted it yet (lazy expiry).
     */
    public boolean isWatchedKeyExpired(Client client, Databases dbs) {
        List<Watched> mine = byClient.get(client);
        if (mine == null) {
            return false;
        }
        for (Watched w : mine) {
            if (!w.expired && dbs.db(w.key.db()).isExpired(w.key.key().bytes())) {
                return true;
            }
        }
        return false;
    }

    /** Redis's touchWatchedKey (signalModifiedKey): called after the key in database db changed. */
    public void touch(Databases dbs, int db, byte[] key) {
        if (watchers.isEmpty()) {
            return;
        }
        DbKey dk = new DbKey(db, new Key(key));
        List<Watched> list = watchers.get(dk);
        if (list == null) {
            return;
        }
        boolean stored = dbs.db(db).peek(key) != null;
        for (Watched w : new ArrayList<>(list)) {
            if (w.expired) {
                if (!stored) {
                    // the key that was already expired at WATCH time is now deleted: logically no change
                    w.expired = false;
                    continue;
                }
                // Redis 7.0.15 leaves the loop here (a "break" meant for an inner loop of older code): the
                // remaining watchers of this key are not marked either. Kept, so EXEC answers as Redis does.
                break;
            }
            w.client.watchDirty = true;
            // a dirty client's EXEC fails whatever happens next: no need to keep its keys
            dropWatchedKeys(w.client);
        }
    }

    /** FLUSHDB / FLUSHALL, before database db is emptied (Redis's touchAllWatchedKeysInDb(emptied, NULL)). */
    public void touchFlushed(Databases dbs, int db) {
        touchAllInDb(dbs.db(db), null);
    }

    /** SWAPDB a b, before the swap: each database's watched keys see the other's contents arrive. */
    public void touchSwapped(Databases dbs, int a, int b) {
        if (a == b) {
            return;
        }
        touchAllInDb(dbs.db(a), dbs.db(b));
        touchAllInDb(dbs.db(b), dbs.db(a));
    }

    /**
     * The watched keys of emptied change if they exist there, or will exist after replacedWith takes its place;
     * an expired key replaced by nothing, or by another expired key, is no change.
     */
    private void touchAllInDb(Keyspace emptied, Keyspace replacedWith) {
        int index = emptied.index();
        for (Map.Entry<DbKey, List<Watched>> e : watchers.entrySet()) {
            if (e.getKey().db() != index) {
                continue;
            }
            byte[] key = e.getKey().key().bytes();
            boolean inEmptied = emptied.peek(key) != null;
            boolean inReplacement = replacedWith != null && replacedWith.peek(key) != null;
            if (!inEmptied && !inReplacement) {
                continue;
            }
            for (Watched w : e.getValue()) {
                if (w.expired) {
                    if (!inReplacement) {
                        w.expired = false; // the expired key is deleted: logically no change
                        continue;
                    } else if (replacedWith.isExpired(key)) {
                        continue; // an expired key stays expired
                    }
                } else if (!inEmptied && replacedWith.isExpired(key)) {
                    w.expired = true; // no key replaced by an expired one: still no key, logically
                    continue;
                }
                // marked but not unwatched here, as Redis (it is iterating the very lists unwatching would change)
                w.client.watchDirty = true;
            }
        }
    }
}
