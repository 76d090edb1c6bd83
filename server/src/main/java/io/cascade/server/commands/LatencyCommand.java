package io.cascade.server.commands;

import io.cascade.server.LatencyMonitor;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandSpec;
import io.cascade.server.command.CommandStats;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.ErrorText;
import io.cascade.server.command.LatencyHistogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * LATENCY LATEST / HISTORY / RESET / GRAPH / DOCTOR / HISTOGRAM / HELP (latencyCommand) over the latency
 * monitor's events and the per-command latency histograms. Command thread.
 */
public final class LatencyCommand {
    private static final String FLAGS = "admin noscript loading stale";
    private static final String NODE_TIPS = "nondeterministic_output request_policy:all_nodes response_policy:special";
    private static final int GRAPH_COLS = 80;

    private LatencyCommand() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("latency", -2, "", null)
                .doc("A container for latency diagnostics commands", "2.8.13", "server", "Depends on subcommand.", null)
                .sub(cmd("latest", 2, FLAGS, LatencyCommand::latest).tips(NODE_TIPS)
                        .doc("Return the latest latency samples for all events.", "2.8.13", "server", "O(1)", null))
                .sub(cmd("history", 3, FLAGS, LatencyCommand::history).tips(NODE_TIPS)
                        .doc("Return timestamp-latency samples for the event.", "2.8.13", "server", "O(1)",
                                "event:string"))
                .sub(cmd("reset", -2, FLAGS, LatencyCommand::reset)
                        .tips("request_policy:all_nodes response_policy:all_succeeded")
                        .doc("Reset latency data for one or more events.", "2.8.13", "server", "O(1)",
                                "[event:string...]"))
                .sub(cmd("graph", 3, FLAGS, LatencyCommand::graph).tips(NODE_TIPS)
                        .doc("Return a latency graph for the event.", "2.8.13", "server", "O(1)", "event:string"))
                .sub(cmd("doctor", 2, FLAGS, c -> c.reply.verbatim(LatencyDoctor.report(c.server))).tips(NODE_TIPS)
                        .doc("Return a human readable latency analysis report.", "2.8.13", "server", "O(1)", null))
                .sub(cmd("histogram", -2, FLAGS, LatencyCommand::histogram).tips(NODE_TIPS)
                        .doc("Return the cumulative distribution of latencies of a subset of commands or all.",
                                "7.0.0", "server",
                                "O(N) where N is the number of commands with latency information being retrieved.",
                                "[command:string...]"))
                .sub(cmd("help", 2, "loading stale", LatencyCommand::help)
                        .doc("Show helpful text about the different subcommands.", "2.8.13", "server", "O(1)", null)));
    }

    static void latest(CommandContext c) {
        Map<String, LatencyMonitor.Series> events = c.server.latency.events();
        c.reply.array(events.size());
        for (Map.Entry<String, LatencyMonitor.Series> e : events.entrySet()) {
            LatencyMonitor.Series ts = e.getValue();
            int last = ts.last();
            c.reply.array(4);
            c.reply.bulk(e.getKey());
            c.reply.integer(ts.time[last]);
            c.reply.integer(ts.latency[last]);
            c.reply.integer(ts.max);
        }
    }

    /** LATENCY HISTORY event: the samples oldest first; an unknown event has none. */
    static void history(CommandContext c) {
        LatencyMonitor.Series ts = c.server.latency.get(c.arg(2));
        List<int[]> slots = new ArrayList<>();
        if (ts != null) {
            for (int j = 0; j < LatencyMonitor.TS_LEN; j++) {
                int i = (ts.idx + j) % LatencyMonitor.TS_LEN;
                if (ts.time[i] != 0) {
                    slots.add(new int[] {i});
                }
            }
        }
        c.reply.array(slots.size());
        for (int[] s : slots) {
            c.reply.array(2);
            c.reply.integer(ts.time[s[0]]);
            c.reply.integer(ts.latency[s[0]]);
        }
    }

    static void reset(CommandContext c) {
        if (c.argc() == 2) {
            c.reply.integer(c.server.latency.reset(null));
            return;
        }
        int resets = 0;
        for (int j = 2; j < c.argc(); j++) {
            resets += c.server.latency.reset(c.arg(j));
        }
        c.reply.integer(resets);
    }

    /** LATENCY GRAPH event: latencyCommandGenSparkeline, as verbatim text. */
    static void graph(CommandContext c) {
        LatencyMonitor.Series ts = c.server.latency.get(c.arg(2));
        if (ts == null) {
            c.reply.error(ErrorText.of("ERR No samples available for event '").arg(c.argv[2]).text("'").bytes());
            return;
        }
        Sparkline seq = new Sparkline();
        long min = 0;
        long max = 0;
        boolean first = true;
        long now = System.currentTimeMillis() / 1000;
        for (int j = 0; j < LatencyMonitor.TS_LEN; j++) {
            int i = (ts.idx + j) % LatencyMonitor.TS_LEN;
            if (ts.time[i] == 0) {
                continue;
            }
            min = first ? ts.latency[i] : Math.min(min, ts.latency[i]);
            max = first ? ts.latency[i] : Math.max(max, ts.latency[i]);
            first = false;
            long elapsed = now - ts.time[i];
            String label = elapsed < 60 ? elapsed + "s" : elapsed < 3600 ? elapsed / 60 + "m"
                    : elapsed < 3600 * 24 ? elapsed / 3600 + "h" : elapsed / (3600 * 24) + "d";
            seq.add(ts.latency[i], label);
        }
        StringBuilder graph = new StringBuilder();
        graph.append(c.arg(2)).append(" - high ").append(max).append(" ms, low ").append(min)
                .append(" ms (all time high ").append(ts.max).append(" ms)\n");
        graph.append("-".repeat(GRAPH_COLS)).append('\n');
        seq.render(graph, GRAPH_COLS, 4);
        c.reply.verbatim(graph.toString());
    }

    /** LATENCY HISTOGRAM [command ...]: per command with data, calls and the cumulative buckets in us. */
    static void histogram(CommandContext c) {
        Map<CommandSpec, CommandStats> stats = c.server.commandStats();
        List<CommandSpec> out = new ArrayList<>();
        if (c.argc() == 2) {
            for (CommandSpec spec : c.server.commands.all()) {
                addWithData(spec, stats, out);
                for (CommandSpec sub : spec.subcommands().values()) {
                    addWithData(sub, stats, out);
                }
            }
        } else {
            for (int j = 2; j < c.argc(); j++) {
                CommandSpec spec = byFullName(c, c.argLower(j));
                if (spec == null) {
                    continue;
                }
                addWithData(spec, stats, out);
                for (CommandSpec sub : spec.subcommands().values()) {
                    addWithData(sub, stats, out);
                }
            }
        }
        c.reply.map(out.size());
        for (CommandSpec spec : out) {
            LatencyHistogram h = stats.get(spec).latency;
            long[] buckets = h.cumulativeBuckets();
            c.reply.bulk(spec.fullName);
            c.reply.map(2);
            c.reply.bulk("calls");
            c.reply.integer(h.total());
            c.reply.bulk("histogram_usec");
            c.reply.map(buckets.length / 2);
            for (long b : buckets) {
                c.reply.integer(b);
            }
        }
    }

    private static void addWithData(CommandSpec spec, Map<CommandSpec, CommandStats> stats, List<CommandSpec> out) {
        CommandStats s = stats.get(spec);
        if (s != null && s.latency != null) {
            out.add(spec);
        }
    }

    private static CommandSpec byFullName(CommandContext c, String name) {
        int bar = name.indexOf('|');
        if (bar < 0) {
            return c.server.commands.get(name);
        }
        CommandSpec base = c.server.commands.get(name.substring(0, bar));
        return base == null ? null : base.subcommand(name.substring(bar + 1).toLowerCase(Locale.ROOT));
    }

    static void help(CommandContext c) {
        c.help("DOCTOR",
                "    Return a human readable latency analysis report.",
                "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.",
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
                "HISTOGRAM [COMMAND ...]",
                "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
                "    If no commands are specified then all histograms are replied.");
    }
}
