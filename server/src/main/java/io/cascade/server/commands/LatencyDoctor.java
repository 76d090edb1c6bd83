package io.cascade.server.commands;

import io.cascade.server.LatencyMonitor;
import io.cascade.server.Server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * LATENCY DOCTOR's report (createLatencyReport): each event's statistics in Redis's words, then the advice
 * Redis gives for the events Cascade records (command, fast-command, expire-cycle, command-unblocking) and for
 * transparent huge pages. Command thread.
 */
final class LatencyDoctor {
    private LatencyDoctor() {
    }

    static String report(Server server) {
        LatencyMonitor lm = server.latency;
        Map<String, LatencyMonitor.Series> events = lm.events();
        if (events.isEmpty() && lm.threshold() == 0) {
            return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may "
                    + "use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we "
                    + "weren't in a deep space mission I'd suggest to take a look at "
                    + "https://redis.io/topics/latency-monitor.\n";
        }
        StringBuilder r = new StringBuilder();
        long slowerThan = server.config.getLong("slowlog-log-slower-than");
        boolean slowlogEnabled = false;
        boolean slowlogTuning = false;
        boolean slowlogInspect = false;
        boolean scheduler = false;
        boolean hz = false;
        boolean largeObjects = false;
        int advices = 0;
        int eventnum = 0;
        long now = System.currentTimeMillis() / 1000;
        for (Map.Entry<String, LatencyMonitor.Series> e : events.entrySet()) {
            String event = e.getKey();
            LatencyMonitor.Series ts = e.getValue();
            eventnum++;
            if (eventnum == 1) {
                r.append("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about "
                        + "it, do you Dave?\n\n");
            }
            // analyzeLatencyForEvent
            int samples = 0;
            long min = 0;
            long max = 0;
            long sum = 0;
            long oldest = 0;
            for (int j = 0; j < LatencyMonitor.TS_LEN; j++) {
                if (ts.time[j] == 0) {
                    continue;
                }
                samples++;
                min = samples == 1 ? ts.latency[j] : Math.min(min, ts.latency[j]);
                max = samples == 1 ? ts.latency[j] : Math.max(max, ts.latency[j]);
                sum += ts.latency[j];
                if (oldest == 0 || ts.time[j] < oldest) {
                    oldest = ts.time[j];
                }
            }
            long avg = samples == 0 ? 0 : sum / samples;
            long period = samples == 0 ? 0 : Math.max(1, now - oldest);
            long madSum = 0;
            for (int j = 0; j < LatencyMonitor.TS_LEN; j++) {
                if (ts.time[j] != 0) {
                    madSum += Math.abs(avg - ts.latency[j]);
                }
            }
            long mad = samples == 0 ? 0 : madSum / samples;
            r.append(String.format(Locale.ROOT, "%d. %s: %d latency spikes (average %dms, mean deviation %dms, "
                    + "period %.2f sec). Worst all time event %dms.", eventnum, event, samples, avg, mad,
                    (double) period / samples, ts.max));
            if (event.equalsIgnoreCase("command")) {
                if (slowerThan < 0) {
                    slowlogEnabled = true;
                    advices++;
                } else if (slowerThan / 1000 > lm.threshold()) {
                    slowlogTuning = true;
                    advices++;
                }
                slowlogInspect = true;
                largeObjects = true;
                advices += 2;
            }
            if (event.equalsIgnoreCase("fast-command")) {
                scheduler = true;
                advices++;
            }
            if (event.equalsIgnoreCase("expire-cycle")) {
                hz = true;
                largeObjects = true;
                advices += 2;
            }
            r.append('\n');
        }
        boolean thp = anonHugePages() > 0;
        if (thp) {
            advices++;
        }
        if (eventnum == 0 && advices == 0) {
            r.append("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the "
                    + "slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think "
                    + "things over.\n");
            return r.toString();
        }
        if (eventnum > 0 && advices == 0) {
            r.append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the "
                    + "Redis community to get some help, providing this report in your help request.\n");
            return r.toString();
        }
        r.append("\nI have a few advices for you:\n\n");
        long suggested = lm.threshold() * 1000;
        if (slowlogEnabled) {
            r.append("- There are latency issues with potentially slow commands you are using. Try to enable the "
                    + "Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ").append(suggested)
                    .append("'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n");
        }
        if (slowlogTuning) {
            r.append("- Your current Slow Log configuration only logs events that are slower than your configured "
                    + "latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ").append(suggested)
                    .append("'.\n");
        }
        if (slowlogInspect) {
            r.append("- Check your Slow Log to understand what are the commands you are running which are too slow "
                    + "to execute. Please check https://redis.io/commands/slowlog for more information.\n");
        }
        if (scheduler) {
            r.append("- The system is slow to execute Redis code paths not containing system calls. This usually "
                    + "means the system does not provide Redis CPU time to run for long periods. You should try to:\n"
                    + "  1) Lower the system load.\n"
                    + "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n"
                    + "  3) Check if you have a \"noisy neighbour\" problem.\n"
                    + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your "
                    + "system.\n"
                    + "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you "
                    + "are using Jemalloc. However this may create fragmentation problems.\n");
        }
        if (hz && server.config.getInt("hz") < 100) {
            r.append("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' "
                    + "configuration parameter to 100 using 'CONFIG SET hz 100'.\n");
        }
        if (largeObjects) {
            r.append("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking "
                    + "operation. If you have very large objects that are often deleted, expired, or evicted, try to "
                    + "fragment those objects into multiple smaller objects.\n");
        }
        if (thp) {
            r.append("- I detected a non zero amount of anonymous huge pages used by your process. This creates very "
                    + "serious latency events in different conditions, especially when Redis is persisting on disk. "
                    + "To disable THP support use the command 'echo never > "
                    + "/sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so "
                    + "that the command will be executed again after a reboot. Note that even if you have already "
                    + "disabled THP, you still need to restart the Redis process to get rid of the huge pages already "
                    + "created.\n");
        }
        return r.toString();
    }

    /** THPGetAnonHugePagesSize: the process's AnonHugePages in bytes (Linux), 0 when unknown. */
    static long anonHugePages() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
                if (line.startsWith("AnonHugePages:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no smaps_rollup: Redis reports 0 then too
        }
        return 0;
    }
}
