package io.cascade.storage;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A rough measure of what the access field costs a lookup: Keyspace.get (touch) against getNoTouch (the read
 * path as it was before), on an off-heap store, with reads spread over many keys for a few seconds so that
 * each key's field changes once a second as in service. Arguments: keys, policy, and "frozen" to stop the
 * clock (no field ever changes: the cost of the lookup alone). Not a test: run its main by hand. Single thread.
 */
final class AccessTouchBench {
    private AccessTouchBench() {
    }

    public static void main(String[] args) {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String policy = args.length > 1 ? args[1] : "noeviction";
        AccessClock.configure(policy, 10, 1);
        long frozen = System.currentTimeMillis();
        boolean alwaysFrozen = args.length > 2 && args[2].equals("frozen"); // no rewrite at all: the lookup alone
        if (alwaysFrozen) {
            AccessClock.setTimeSource(() -> frozen);
        }
        OffHeapStore store = new OffHeapStore("bench");
        Keyspace db = new Keyspace(store, 0);
        byte[][] k = new byte[keys][];
        for (int i = 0; i < keys; i++) {
            k[i] = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
            db.set(k[i], ("value-" + i + "-xxxxxxxxxxxxxxxx").getBytes(StandardCharsets.US_ASCII));
        }
        SplittableRandom r = new SplittableRandom(1);
        long sink = 0;
        for (int round = 0; round < 15; round++) {
            // get with the clock running (rewrites), getNoTouch, get with the clock frozen (no rewrite)
            boolean touch = round % 3 != 1;
            if (round % 3 == 2 || alwaysFrozen) {
                AccessClock.setTimeSource(() -> frozen);
            } else {
                AccessClock.setTimeSource(System::currentTimeMillis);
            }
            long rewrites = store.stats().accessRewrites;
            long n = 0;
            long end = System.nanoTime() + 2_000_000_000L;
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                for (int i = 0; i < 1000; i++) {
                    byte[] key = k[r.nextInt(keys)];
                    Object v = touch ? db.get(key) : db.getNoTouch(key);
                    sink += ((byte[]) v).length;
                }
                n += 1000;
            }
            double ns = (System.nanoTime() - start) / (double) n;
            System.out.printf("%s %-12s %.1f ns/lookup, %.2f rewrites/lookup%n", policy,
                    !touch ? "getNoTouch" : round % 3 == 2 ? "get(frozen)" : "get", ns,
                    (store.stats().accessRewrites - rewrites) / (double) n);
        }
        System.out.println(sink == 42 ? "" : "done");
    }
}
