// The measurements behind OffHeapPartition.MAX_INLINE_KEY (docs/storage.md, "Long keys and large entries"), on
// its own main thread: (1) the largest entry a Chronicle map takes for the average sizes Cascade makes maps with,
// and the largest key that fits with a 4-byte value (bisection); (2) SET and GET of N keys of each length through
// an OffHeapStore, in a map below the threshold and in the partition's heap table above it (3 rounds: read the last).
//   java $(cat server/target/classes/cascade-jvm.flags) -cp server/target/cascade-server.jar bench/EntryLimits.java [N] [lengths,...] [rounds]
// (RSS per key is meaningful in the first round of a JVM only: give one length and one round per run for it)
import io.cascade.storage.OffHeapStore;
import net.openhft.chronicle.hash.impl.VanillaChronicleHash;
import net.openhft.chronicle.map.ChronicleMap;

import java.util.SplittableRandom;

public class EntryLimits {
    static long rss() {
        try {
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return 0;
    }

    public static void main(String[] args) {
        double[][] averages = {{1, 4}, {4, 5}, {8, 8}, {16, 16}, {16, 48}, {100, 100}, {1000, 1000}};
        for (double[] a : averages) {
            ChronicleMap<byte[], byte[]> m = ChronicleMap.of(byte[].class, byte[].class).entries(1024)
                    .averageKeySize(a[0]).averageValueSize(a[1]).actualSegments(4).maxBloatFactor(4).create();
            VanillaChronicleHash<?, ?, ?, ?> h = (VanillaChronicleHash<?, ?, ?, ?>) m;
            int lo = 0;
            int hi = 1 << 22;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                try {
                    m.put(new byte[mid], new byte[4]);
                    m.remove(new byte[mid]);
                    lo = mid;
                } catch (RuntimeException tooLarge) {
                    hi = mid - 1;
                }
            }
            System.out.printf("averages %.0f/%.0f: chunk %d B, at most %d chunks, largest entry %d B, largest key %d B%n",
                    a[0], a[1], h.chunkSize, h.maxChunksPerEntry, h.chunkSize * h.maxChunksPerEntry, lo);
            m.close();
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int[] lengths = args.length > 1 ? java.util.Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {256, 1024, 2048, 2049, 3000, 20_000};
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        for (int round = 1; round <= rounds; round++) {
            for (int len : lengths) {
                SplittableRandom rnd = new SplittableRandom(len);
                byte[][] keys = new byte[n][];
                for (int i = 0; i < n; i++) {
                    keys[i] = new byte[len];
                    rnd.nextBytes(keys[i]);
                }
                System.gc();
                long rss0 = rss();
                OffHeapStore store = new OffHeapStore("bench");
                byte[] value = new byte[12];
                long t0 = System.nanoTime();
                for (byte[] k : keys) {
                    store.put(k, value);
                }
                long t1 = System.nanoTime();
                long found = 0;
                for (byte[] k : keys) {
                    found += ((byte[]) store.get(k)).length;
                }
                long t2 = System.nanoTime();
                keys = null; // the callers' copies: RSS then counts what the store keeps (the heap table clones keys)
                System.gc();
                System.out.printf("round %d, key %6d B: SET %5d ns, GET %5d ns, off heap reserved %5d B/key, RSS %5d B/key (%d)%n",
                        round, len, (t1 - t0) / n, (t2 - t1) / n, store.offHeapBytes() / n, (rss() - rss0) / n, found / 12);
                store.close();
            }
        }
    }
}
