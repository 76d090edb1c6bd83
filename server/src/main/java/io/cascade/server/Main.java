package io.cascade.server;

import io.cascade.conf.Config;
import io.cascade.conf.ConfigException;
import io.cascade.conf.ConfigFileParser;
import io.cascade.conf.Log;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The command line, as redis-server takes it: {@code cascade-server [/path/to/redis.conf] [--directive value ...]}
 * plus --help, --version and --test-config. Runs on the JVM's main thread, which only starts the server.
 */
@Command(name = "cascade-server", sortOptions = false,
        description = {"Cascade: a Redis-compatible cascading replica server.", "",
            "Takes a redis.conf-style file and/or --directive value pairs, like redis-server;",
            "command-line directives override the file. A lone '-' reads the configuration from stdin.", ""},
        footer = {"", "Examples:", "  cascade-server                        (standalone on port 6379, built-in defaults)",
            "  cascade-server /etc/redis/6379.conf", "  cascade-server --port 7777",
            "  cascade-server --port 7777 --replicaof 127.0.0.1 8888",
            "  cascade-server /etc/myredis.conf --loglevel verbose --save 60 1000"})
public final class Main implements Callable<Integer> {
    /** Set in the environment of the detached child when daemonizing, so that it does not detach again. */
    static final String DAEMON_CHILD = "CASCADE_DAEMONIZED";

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-v", "--version"}, description = "Print the version and exit.")
    boolean version;

    @Option(names = "--test-config", description = "Parse the configuration, report the result, exit 0 or 1.")
    boolean testConfig;

    @Parameters(paramLabel = "ARGS", description = "[config file] [--directive value ...]")
    List<String> args = new ArrayList<>();

    public static void main(String[] argv) {
        CommandLine cl = new CommandLine(new Main());
        // "--port 7777" is a redis.conf directive, not an option of ours: keep it, in order, for the config loader
        cl.setUnmatchedOptionsArePositionalParams(true);
        cl.setUnmatchedArgumentsAllowed(true);
        cl.setTrimQuotes(false);
        cl.setUnmatchedOptionsAllowedAsOptionParameters(true);
        int code = cl.execute(argv);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() {
        if (version) {
            System.out.println("Cascade server v=" + Server.VERSION + " redis_compat=" + Server.REDIS_VERSION
                    + " java=" + System.getProperty("java.version") + " bits=64");
            return 0;
        }
        Config config;
        try {
            Set<String> commandNames = new HashSet<>();
            CommandFamilies.table().all().forEach(spec -> commandNames.add(spec.name));
            config = ConfigFileParser.load(args, ConfigFileParser.Options.defaults()
                    .withVersion("Cascade " + Server.VERSION).withKnownCommands(commandNames));
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        if (testConfig) {
            System.out.println("Configuration test passed" + (config.configFile() == null ? ""
                    : " (" + config.configFile() + ")"));
            return 0;
        }
        if (config.getBool("daemonize") && System.getenv(DAEMON_CHILD) == null) {
            return daemonize();
        }
        try {
            Log.setLevel(Log.Level.parse(config.getEnum("loglevel")));
            String logfile = config.getString("logfile");
            if (System.getenv(DAEMON_CHILD) != null && logfile.isEmpty()) {
                logfile = "/dev/null"; // a daemon has no terminal: Redis sends the log to /dev/null too
            }
            Log.setFile(logfile);
        } catch (IOException e) {
            System.err.println("Can't open the log file: " + e.getMessage());
            return 1;
        }
        Log.setRole('C');
        Log.warning("oO0OoO0OoO0Oo Cascade is starting oO0OoO0OoO0Oo");
        Log.warning("Cascade version=%s, redis_compat=%s, bits=64, java=%s, pid=%d, just started", Server.VERSION,
                Server.REDIS_VERSION, System.getProperty("java.version"), ProcessHandle.current().pid());
        if (config.configFile() == null) {
            Log.warning("Warning: no config file specified, using the default config. In order to specify a config "
                    + "file use cascade-server /path/to/redis.conf");
        } else {
            Log.warning("Configuration loaded");
        }
        List<String> ignored = config.unimplementedInUse();
        if (!ignored.isEmpty()) {
            Log.warning("These directives are accepted but not implemented yet, so they have no effect: %s",
                    String.join(", ", ignored));
        }
        Log.setRole('M');
        Server server;
        try {
            server = new Server(config);
            if (!loadUsers(server, config)) {
                return 1;
            }
            Log.notice("Running mode=standalone, port=%d.", config.getInt("port"));
            server.start();
        } catch (IOException e) {
            Log.warning("%s", e.getMessage());
            Log.warning("Failed listening on port %d (tcp), aborting.", config.getInt("port"));
            return 1;
        }
        return 0; // the command thread keeps the JVM alive
    }

    /** ACLLoadUsersAtStartup: the "user" directives, or the aclfile, never both; false when startup must stop. */
    private static boolean loadUsers(Server server, Config config) {
        String aclFile = config.getString("aclfile");
        if (!aclFile.isEmpty() && !config.users().isEmpty()) {
            Log.warning("Configuring Redis with users defined in redis.conf and at the same setting an ACL file path "
                    + "is invalid. This setup is very likely to lead to configuration errors and security holes, "
                    + "please define either an ACL file or declare users directly in your redis.conf, but not both.");
            return false;
        }
        if (!server.acl.loadConfigUsers(config.users())) {
            Log.warning("Critical error while loading ACLs. Exiting.");
            return false;
        }
        if (!aclFile.isEmpty()) {
            String errors = server.acl.loadFile(config.dir().resolve(aclFile), aclFile, new ArrayList<>());
            if (errors != null) {
                Log.warning("Aborting Redis startup because of ACL errors: %s", errors);
                return false;
            }
        }
        return true;
    }

    /**
     * daemonize yes: Java cannot fork, so start this same command line again as a detached process (a new
     * session via setsid, no terminal, output to /dev/null) and exit, as redis-server's parent does.
     */
    private int daemonize() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> command = new ArrayList<>();
        command.add("setsid");
        command.add(info.command().orElse("java"));
        info.arguments().ifPresent(a -> command.addAll(List.of(a)));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put(DAEMON_CHILD, "1");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            pb.start();
            return 0;
        } catch (IOException e) {
            System.err.println("Can't daemonize: " + e.getMessage());
            return 1;
        }
    }
}
