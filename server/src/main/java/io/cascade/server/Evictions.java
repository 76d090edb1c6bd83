package io.cascade.server;

import io.cascade.storage.AccessClock;
import io.cascade.storage.Keyspace;

/**
 * maxmemory, as Redis 7.0's performEvictions (evict.c): while used_memory, less the replicas' share of the
 * replication buffer, is over maxmemory, keys are deleted in the order maxmemory-policy gives. The LRU, LFU and
 * TTL policies keep Redis's eviction pool: the EVPOOL_SIZE best candidates seen so far, refilled with
 * maxmemory-samples keys of every database each round, the best one evicted; the random policies take a random
 * key of the next database in turn. Each evicted key is signalled (WATCH), raises the "evicted" event and goes
 * down the stream as DEL (UNLINK under lazyfree-lazy-eviction). A round that runs past
 * maxmemory-eviction-tenacity's time limit goes on in a task between requests, as Redis's evictionTimeProc.
 * Command thread.
 */
public final class Evictions {
    /** EVICT_OK, EVICT_RUNNING (freeing goes on in the background task), EVICT_FAIL (nothing left to evict). */
    public enum Result { OK, RUNNING, FAIL }

    private static final int EVPOOL_SIZE = 16;
    private static final byte[] DEL = {'D', 'E', 'L'};
    private static final byte[] UNLINK = {'U', 'N', 'L', 'I', 'N', 'K'};

    /** A candidate of the pool; idle is the score, higher evicts first (idle time, 255 - LFU counter, TTL). */
    private record Candidate(int db, byte[] key, long idle) {
    }

    private final Server server;
    /**
     * The maxmemory directive, kept here by the server when it is set: every request asks enabled(), and a
     * config lookup per request costs more than the rest of the check.
     */
    private long maxmemory;
    /** Ascending by idle; the entries after poolSize are unused. */
    private final Candidate[] pool = new Candidate[EVPOOL_SIZE];
    private int poolSize;
    /** The random policies' round robin over the databases (Redis's static next_db). */
    private int nextDb;
    private boolean timeProcRunning;
    /** When used memory first went over maxmemory without being brought back (0: it is not), for INFO. */
    private long exceededSinceNanos;
    private long totalExceededNanos;
    /**
     * pre_command_oom_state: whether the running client command found memory over the limit before it started; a
     * script checks this at its first deny-oom call rather than the state of then, which its own stack and
     * arguments would move.
     */
    public boolean preCommandOom;
    /** INFO's evicted_keys. */
    public long evictedKeys;

    Evictions(Server server) {
        this.server = server;
    }

    void setMaxmemory(long bytes) {
        maxmemory = bytes;
    }

    /** maxmemory is set (not 0). */
    public boolean enabled() {
        return maxmemory != 0;
    }

    /** The bytes to free, 0 when none (or no maxmemory): getMaxmemoryState. */
    private long toFree() {
        long max = maxmemory;
        if (max == 0) {
            return 0;
        }
        long used = server.usedMemory.used();
        if (Long.compareUnsigned(used, max) <= 0) {
            return 0;
        }
        // over, by the clients' buffers as last summed: sum them now before evicting for them
        server.usedMemory.sumClientBuffers();
        used = server.usedMemory.used();
        if (Long.compareUnsigned(used, max) <= 0) {
            return 0;
        }
        used -= server.usedMemory.notCountedForEviction();
        return Long.compareUnsigned(used, max) <= 0 ? 0 : used - max;
    }

    /**
     * isSafeToPerformEvictions: not while a busy script lets other clients in, nor while loading, nor on a replica
     * that ignores maxmemory (it follows its master exactly), nor while clients are paused (the dataset must
     * stay as it is).
     */
    private boolean safe() {
        if (server.scripting.busy.busyError() != null || server.persistence.loading) {
            return false;
        }
        if (server.replica.isReplica() && server.config.getBool("replica-ignore-maxmemory")) {
            return false;
        }
        return !server.pause.paused();
    }

    /** performEvictions. */
    public Result perform() {
        if (!safe()) {
            return Result.OK;
        }
        long toFree = toFree();
        Result result;
        if (toFree == 0) {
            result = Result.OK;
        } else if (server.config.getEnum("maxmemory-policy").equals("noeviction")) {
            result = Result.FAIL;
        } else {
            result = evict(toFree);
        }
        if (result == Result.OK) {
            if (exceededSinceNanos != 0) {
                totalExceededNanos += System.nanoTime() - exceededSinceNanos;
                exceededSinceNanos = 0;
            }
        } else if (exceededSinceNanos == 0) {
            exceededSinceNanos = System.nanoTime();
        }
        return result;
    }

    private Result evict(long toFree) {
        String policy = server.config.getEnum("maxmemory-policy");
        boolean allKeys = policy.startsWith("allkeys-");
        boolean random = policy.endsWith("-random");
        boolean lazy = server.config.getBool("lazyfree-lazy-eviction");
        long limitNanos = timeLimitMicros() * 1000;
        long start = System.nanoTime();
        long freed = 0;
        int keysFreed = 0;
        while (freed < toFree) {
            Candidate best = random ? randomKey(allKeys) : fromPool(policy, allKeys);
            if (best == null) {
                latencySample("eviction-cycle", start);
                return Result.FAIL; // nothing left to evict
            }
            Keyspace db = server.databases.db(best.db());
            long before = db.usedMemory();
            long delStart = System.nanoTime();
            // an eviction is no change of the dataset's for the save rules, nor a write of the running command
            // (Redis's performEvictions deletes without server.dirty++)
            long dirty = server.dirty;
            db.delete(best.key());
            server.dirty = dirty;
            latencySample("eviction-del", delStart);
            freed += before - db.usedMemory();
            evictedKeys++;
            server.notifications.notify(Notifications.EVICTED, "evicted", best.key(), best.db());
            server.propagation.alone(best.db(), lazy ? UNLINK : DEL, best.key());
            keysFreed++;
            if (keysFreed % 16 == 0 && System.nanoTime() - start > limitNanos) {
                // the memory to free is large: go on between requests instead of holding everyone here
                startTimeProc();
                latencySample("eviction-cycle", start);
                return Result.RUNNING;
            }
        }
        latencySample("eviction-cycle", start);
        return timeProcRunning ? Result.RUNNING : Result.OK;
    }

    private void latencySample(String event, long startNanos) {
        server.latency.addSampleIfNeeded(event, (System.nanoTime() - startNanos) / 1_000_000);
    }

    /** evictionTimeLimitUs: 0 to 500 us linearly up to tenacity 10, then 15 % more a step, unlimited at 100. */
    private long timeLimitMicros() {
        long tenacity = server.config.getLong("maxmemory-eviction-tenacity");
        if (tenacity <= 10) {
            return 50 * tenacity;
        }
        if (tenacity < 100) {
            return (long) (500.0 * Math.pow(1.15, tenacity - 10.0));
        }
        return Long.MAX_VALUE / 1000;
    }

    /**
     * evictionTimeProc: a task that evicts again after the requests waiting, until no more is needed. CONFIG SET
     * maxmemory starts it too (updateMaxmemory), so a lower limit evicts after the command, not inside it.
     */
    void startTimeProc() {
        if (timeProcRunning) {
            return;
        }
        timeProcRunning = true;
        server.main.submit(this::timeProc);
    }

    private void timeProc() {
        timeProcRunning = false;
        if (perform() == Result.RUNNING) {
            startTimeProc();
        }
    }

    /** The random policies: a random key of the next database that has one (of its keys with an expire for volatile-random). */
    private Candidate randomKey(boolean allKeys) {
        int n = server.databases.count();
        for (int i = 0; i < n; i++) {
            nextDb = (nextDb + 1) % n;
            byte[] key = server.databases.db(nextDb).sampleKey(!allKeys);
            if (key != null) {
                return new Candidate(nextDb, key, 0);
            }
        }
        return null;
    }

    /** The LRU, LFU and TTL policies: refill the pool from every database, then take its best live candidate. */
    private Candidate fromPool(String policy, boolean allKeys) {
        int samples = (int) server.config.getLong("maxmemory-samples");
        while (true) {
            long keys = 0;
            for (int i = 0; i < server.databases.count(); i++) {
                Keyspace db = server.databases.db(i);
                long n = allKeys ? db.size() : db.expiresCount();
                if (n > 0) {
                    populate(i, db, policy, allKeys, samples);
                    keys += n;
                }
            }
            if (keys == 0 || poolSize == 0) {
                return null; // nothing to evict (or no sample found a key: give up rather than spin)
            }
            // from the best candidate down; one gone since it was sampled (a ghost) is dropped for the next
            while (poolSize > 0) {
                Candidate c = pool[--poolSize];
                pool[poolSize] = null;
                Keyspace db = server.databases.db(c.db());
                if (allKeys ? db.lruField(c.key()) >= 0 : db.getExpire(c.key()) >= 0) {
                    return c;
                }
            }
        }
    }

    /** evictionPoolPopulate: samples keys of one database and keeps those that score higher than the pool's worst. */
    private void populate(int dbIndex, Keyspace db, String policy, boolean allKeys, int samples) {
        boolean ttl = policy.endsWith("-ttl");
        boolean lfu = policy.endsWith("-lfu");
        db.sampleKeys(!allKeys, samples, (key, field) -> {
            long idle;
            if (ttl) {
                idle = Long.MAX_VALUE - db.getExpire(key); // the sooner it expires, the better
            } else {
                idle = lfu ? 255 - AccessClock.lfuDecrAndReturn(field) : AccessClock.idleMillis(field);
            }
            insert(new Candidate(dbIndex, key, idle));
        });
    }

    /** Keeps the pool ascending by idle; a full pool drops its worst to take a better candidate. */
    private void insert(Candidate c) {
        int k = 0;
        while (k < poolSize && pool[k].idle() < c.idle()) {
            k++;
        }
        if (k == 0 && poolSize == EVPOOL_SIZE) {
            return; // worse than everything held, and no room
        }
        if (poolSize < EVPOOL_SIZE) {
            System.arraycopy(pool, k, pool, k + 1, poolSize - k);
            poolSize++;
        } else {
            // full: shift the worse ones left over the worst, and insert just before the first better one
            k--;
            System.arraycopy(pool, 1, pool, 0, k);
        }
        pool[k] = c;
    }

    /** INFO's total_eviction_exceeded_time, in ms. */
    public long totalExceededMillis() {
        long now = exceededSinceNanos == 0 ? 0 : System.nanoTime() - exceededSinceNanos;
        return (totalExceededNanos + now) / 1_000_000;
    }

    /** INFO's current_eviction_exceeded_time, in ms. */
    public long currentExceededMillis() {
        return exceededSinceNanos == 0 ? 0 : (System.nanoTime() - exceededSinceNanos) / 1_000_000;
    }

    /** CONFIG RESETSTAT. */
    void resetStats() {
        evictedKeys = 0;
        totalExceededNanos = 0;
    }
}
