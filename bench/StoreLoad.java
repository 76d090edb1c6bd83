// Loads N small strings and N small hashes (the data of memory-load.sh) straight into a Keyspace, without the
// network, and reports per phase (wall clock, and CPU time of the loading thread, which is what counts on a
// shared machine): bytes per key (RSS growth, and Java heap in use after a GC), load rate, the
// partition rebuilds (count, longest pause), the longest single write (a rebuild's pause, or a GC's) and the time FLUSHDB takes. Runs on its own main thread.
//   java $(cat server/target/classes/cascade-jvm.flags) -cp <storage classpath> bench/StoreLoad.java [N] [heap|offheap]
import io.cascade.storage.HeapStore;
import io.cascade.storage.Keyspace;
import io.cascade.storage.OffHeapStore;
import io.cascade.storage.ValueStore;
import io.cascade.storage.types.RHash;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public class StoreLoad {
    static long rss() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
            }
        }
        return 0;
    }

    static long heapUsed() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    static long cpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        boolean heap = args.length > 1 && args[1].equals("heap");
        ValueStore store = heap ? new HeapStore() : new OffHeapStore("bench");
        Keyspace db = new Keyspace(store, 0);
        // the one-time Chronicle class compilation, and JIT warm-up, outside the measurement
        Keyspace warm = new Keyspace(heap ? new HeapStore() : new OffHeapStore("warm"), 1);
        for (int i = 0; i < 200_000; i++) {
            warm.set(b("w" + i), b("v" + i));
        }
        warm.clear();
        System.out.printf("# %s store, N=%d, %s, max heap %d MB%n", heap ? "heap" : "off-heap", n,
                System.getProperty("java.vm.version"), Runtime.getRuntime().maxMemory() >> 20);
        for (String kind : new String[] {"strings", "hashes"}) {
            long rss0 = rss();
            long heap0 = heapUsed();
            long t0 = System.nanoTime();
            long cpu0 = cpu();
            long worst = 0;
            long worstCpu = 0; // the same in CPU time of this thread: without GC threads and other processes
            long slow = 0; // writes that took over 1 ms of CPU
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int i = 0; i < n; i++) {
                long w0 = System.nanoTime();
                long c0 = mx.getCurrentThreadCpuTime();
                if (kind.equals("strings")) {
                    db.set(b("key:" + i), b("value:" + i));
                } else {
                    RHash h = new RHash();
                    h.put(b("name"), b("n" + i));
                    h.put(b("age"), b(Integer.toString(i % 90)));
                    h.put(b("city"), b("c" + (i % 1000)));
                    h.put(b("flag"), b("1"));
                    db.update(b("hash:" + i), h);
                }
                long c = mx.getCurrentThreadCpuTime() - c0;
                worst = Math.max(worst, System.nanoTime() - w0);
                worstCpu = Math.max(worstCpu, c);
                slow += c > 1_000_000 ? 1 : 0;
            }
            long t1 = System.nanoTime();
            long cpu1 = cpu();
            long heap1 = heapUsed();
            long rss1 = rss();
            if (store instanceof OffHeapStore o) {
                System.out.printf("reserved off heap after %s: %.1f MB%n", kind, o.offHeapBytes() / 1e6);
            }
            System.out.printf("%-8s keys=%d  rss bytes/key=%.1f  heap bytes/key=%.1f  load=%.0f keys/s (%.0f per CPU second)%n",
                    kind, n, (rss1 - rss0) / (double) n, (heap1 - heap0) / (double) n, n / ((t1 - t0) / 1e9),
                    n / ((cpu1 - cpu0) / 1e9));
            System.out.printf("%-8s longest single write=%.2f ms wall, %.2f ms CPU  writes over 1 ms of CPU=%d%n", kind,
                    worst / 1e6, worstCpu / 1e6, slow);
        }
        if (store instanceof OffHeapStore o) {
            OffHeapStore.Stats st = o.stats();
            System.out.printf("rebuilds=%d (%d with the map made ahead)  longest rebuild pause=%.1f ms (map creation %.1f"
                    + " ms, migration step %.1f ms of %d)  total rebuild time=%.0f ms%n", st.rebuilds, st.preparedMaps,
                    st.rebuildNanosMax / 1e6, st.createNanosMax / 1e6, st.stepNanosMax / 1e6, st.migrationSteps,
                    st.rebuildNanosTotal / 1e6);
        }
        long t0 = System.nanoTime();
        db.clear();
        System.out.printf("FLUSHDB of %d keys: %.1f ms (rss after: %.0f MB)%n", 2L * n, (System.nanoTime() - t0) / 1e6,
                rss() / 1e6);
    }
}
