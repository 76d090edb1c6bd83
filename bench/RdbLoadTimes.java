// Loads one RDB file RUNS times in one JVM, each time into a new Databases of off-heap stores as a replica's
// full sync does (Replica.load), and prints per load the wall time, the CPU time of the loading thread and of
// the whole process (JIT, GC and any helper threads included: what counts on a shared machine). The first load
// is the cold-JIT one a fresh replica pays. Runs on its own main thread.
//   java $(cat server/target/classes/cascade-jvm.flags) -cp storage/target/classes:server/target/cascade-server.jar \
//       bench/RdbLoadTimes.java FILE [RUNS]
import io.cascade.storage.Databases;
import io.cascade.storage.OffHeapStore;
import io.cascade.storage.rdb.RdbLoader;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

public class RdbLoadTimes {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        var threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var jit = ManagementFactory.getCompilationMXBean();
        OffHeapStore.warmUp().join(); // a server does this at startup, before any sync
        for (int r = 1; r <= runs; r++) {
            Databases fresh = new Databases(16, i -> new OffHeapStore("db" + i));
            fresh.setExpireDeletes(false);
            long w0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            long p0 = os.getProcessCpuTime();
            long j0 = jit.getTotalCompilationTime();
            RdbLoader.Result res = RdbLoader.load(file, fresh, new RdbLoader.Options().dropExpired(false));
            long w = System.nanoTime() - w0;
            long c = threads.getCurrentThreadCpuTime() - c0;
            long p = os.getProcessCpuTime() - p0;
            long j = jit.getTotalCompilationTime() - j0;
            System.out.printf("load %d: %d keys, wall %.2f s, loader cpu %.2f s, process cpu %.2f s, jit %.2f s%n", r,
                    res.keysLoaded(), w / 1e9, c / 1e9, p / 1e9, j / 1e3);
            fresh.close();
        }
    }
}
