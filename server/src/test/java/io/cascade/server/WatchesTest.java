package io.cascade.server;

import io.cascade.server.net.Client;
import io.cascade.storage.Databases;
import io.cascade.storage.Keyspace;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Watches against keyspaces wired as Server wires them (every change and every expiry deletion touches the
 * key), following the cases of Redis's unit/multi on expired keys, FLUSHDB and SWAPDB. Test thread.
 */
class WatchesTest {
    private Databases dbs;
    private Watches watches;
    private Client a;
    private Client b;

    @BeforeEach
    void setUp() {
        dbs = new Databases(2);
        watches = new Watches();
        dbs.setListener(new Keyspace.Listener() {
            @Override
            public void modified(Keyspace db, byte[] key) {
                watches.touch(dbs, db.index(), key);
            }

            @Override
            public void expired(Keyspace db, byte[] key) {
                watches.touch(dbs, db.index(), key);
            }
        });
        a = new Client(1, new EmbeddedChannel());
        b = new Client(2, new EmbeddedChannel());
    }

    private static byte[] k(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private Keyspace db0() {
        return dbs.db(0);
    }

    /** A key whose time has passed but that nothing has deleted yet (active expiry off). */
    private void stale(Keyspace db, String key) {
        db.load(k(key), k("v"), Keyspace.now() - 1000);
    }

    @Test
    void aWriteToAWatchedKeyMakesItsWatchersDirtyAndForgetsTheirKeys() {
        db0().set(k("x"), k("1"));
        watches.watch(a, db0(), k("x"));
        watches.watch(a, db0(), k("y"));
        db0().set(k("x"), k("2"));
        assertTrue(a.watchDirty);
        assertFalse(watches.watching(a), "a dirty client's keys are dropped");
    }

    @Test
    void aWatchedKeyThatExpiresFailsExecEvenBeforeItIsDeleted() throws InterruptedException {
        db0().set(k("key"), k("1"));
        db0().setExpire(k("key"), Keyspace.now() + 30);
        watches.watch(a, db0(), k("key"));
        assertFalse(watches.isWatchedKeyExpired(a, dbs));
        Thread.sleep(60);
        assertTrue(watches.isWatchedKeyExpired(a, dbs), "EXEC fail on lazy expired WATCHed key");
        assertFalse(a.watchDirty, "nothing touched it: only EXEC's own check sees it");
    }

    @Test
    void watchingAStaleKeyIsNoChangeWhenItGetsDeleted() {
        stale(db0(), "x");
        watches.watch(a, db0(), k("x"));
        assertFalse(watches.isWatchedKeyExpired(a, dbs), "WATCH stale keys should not fail EXEC");
        assertFalse(db0().exists(k("x"))); // the lazy deletion touches the key
        assertFalse(a.watchDirty, "Delete WATCHed stale keys should not fail EXEC");
        db0().set(k("x"), k("new"));
        assertTrue(a.watchDirty, "after the deletion the watch is an ordinary one again");
    }

    @Test
    void activeExpiryOfAWatchedLiveKeyTouchesIt() throws InterruptedException {
        db0().set(k("x"), k("foo"));
        db0().setExpire(k("x"), Keyspace.now() + 20);
        watches.watch(a, db0(), k("x"));
        Thread.sleep(40);
        while (db0().size() > 0) {
            db0().activeExpireCycle(1_000_000, new Keyspace.CycleCounts());
        }
        assertTrue(a.watchDirty, "WATCH will consider touched expired keys");
    }

    @Test
    void flushTouchesOnlyKeysThatExist() {
        watches.watch(a, db0(), k("missing"));
        watches.touchFlushed(dbs, 0);
        assertFalse(a.watchDirty, "FLUSHDB does not touch non affected keys");
        db0().set(k("x"), k("30"));
        watches.watch(b, db0(), k("x"));
        watches.touchFlushed(dbs, 0);
        assertTrue(b.watchDirty, "FLUSHDB is able to touch the watched keys");
    }

    @Test
    void flushWhileWatchingAStaleKeyIsNoChange() {
        stale(db0(), "x");
        watches.watch(a, db0(), k("x"));
        watches.touchFlushed(dbs, 0);
        db0().clear();
        assertFalse(a.watchDirty);
        assertFalse(watches.isWatchedKeyExpired(a, dbs));
    }

    @Test
    void swapTouchesKeysThatExistOnEitherSide() {
        db0().set(k("x"), k("30"));
        watches.watch(a, db0(), k("x"));
        watches.touchSwapped(dbs, 0, 1);
        assertTrue(a.watchDirty, "SWAPDB is able to touch the watched keys that exist");

        dbs.db(1).set(k("y"), k("30"));
        watches.watch(b, db0(), k("y"));
        watches.touchSwapped(dbs, 0, 1);
        assertTrue(b.watchDirty, "SWAPDB is able to touch the watched keys that do not exist");
    }

    @Test
    void swapWithStaleKeysIsNoChange() {
        stale(dbs.db(1), "x");
        watches.watch(a, dbs.db(1), k("x"));
        watches.touchSwapped(dbs, 0, 1); // expired key replaced with no key
        dbs.swap(0, 1);
        assertFalse(a.watchDirty);

        setUp();
        stale(dbs.db(0), "x");
        watches.watch(a, dbs.db(1), k("x"));
        watches.touchSwapped(dbs, 0, 1); // no key replaced with an expired key
        dbs.swap(0, 1);
        assertFalse(a.watchDirty);
        assertFalse(watches.isWatchedKeyExpired(a, dbs), "the watch now knows the key it sees is expired");

        setUp();
        stale(dbs.db(1), "x");
        stale(dbs.db(0), "x");
        watches.watch(a, dbs.db(1), k("x"));
        watches.touchSwapped(dbs, 0, 1); // an expired key replaced with another expired key
        assertFalse(a.watchDirty);
    }

    @Test
    void watchRemembersTheDatabase() {
        dbs.db(1).set(k("x"), k("30"));
        watches.watch(a, dbs.db(1), k("x"));
        db0().set(k("x"), k("10"));
        assertFalse(a.watchDirty);
    }

    @Test
    void unwatchClearsTheDirtyFlag() {
        db0().set(k("x"), k("1"));
        watches.watch(a, db0(), k("x"));
        db0().set(k("x"), k("2"));
        watches.unwatchAll(a);
        assertFalse(a.watchDirty);
    }

    @Test
    void aStaleWatcherStillStoredStopsTheTouchOfLaterWatchers() {
        // Redis 7.0.15's touchWatchedKey leaves its loop at a watcher of a stale key that is still stored
        stale(db0(), "x");
        watches.watch(a, db0(), k("x"));
        db0().persist(k("x")); // the key lives again without having been deleted
        watches.watch(b, db0(), k("x"));
        db0().set(k("x"), k("new"));
        assertFalse(a.watchDirty);
        assertFalse(b.watchDirty);
    }
}
