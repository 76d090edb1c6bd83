package io.cascade.conf;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Loads the startup configuration like redis-server: config file, stdin ("-") and "--name value" options, parsed
 * with loadServerConfigFromString's rules and error texts. Runs once on the startup thread.
 */
public final class ConfigFileParser {

    /**
     * Loader settings.
     *
     * @param version       put in the FATAL error line, e.g. "Cascade 0.1.0" prints "(Cascade 0.1.0)"
     * @param stdin         where "-" reads from
     * @param knownCommands lower-case command names for rename-command checks; null skips those checks
     * @param checkLogfile  whether to test that the logfile can be opened for appending, as Redis does
     */
    public record Options(String version, InputStream stdin, Set<String> knownCommands, boolean checkLogfile) {
        public static Options defaults() {
            return new Options("Cascade", System.in, null, true);
        }

        public Options withVersion(String v) {
            return new Options(v, stdin, knownCommands, checkLogfile);
        }

        public Options withStdin(InputStream in) {
            return new Options(version, in, knownCommands, checkLogfile);
        }

        public Options withKnownCommands(Collection<String> commands) {
            return new Options(version, stdin, commands == null ? null : Set.copyOf(commands), checkLogfile);
        }

        public Options withCheckLogfile(boolean check) {
            return new Options(version, stdin, knownCommands, check);
        }
    }

    private ConfigFileParser() {
    }

    /** redis-server argv without the program name: [configfile] [-] [--name value ...]. Empty means defaults. */
    public static Config load(List<String> argv) throws ConfigException {
        return load(argv, Options.defaults());
    }

    public static Config load(List<String> argv, Options options) throws ConfigException {
        if (argv.isEmpty()) {
            return Config.defaults(); // like redis-server without arguments: no config loading at all
        }
        CommandLine cl = CommandLine.parse(argv);
        Path file = cl.configFile() == null ? null : Path.of(cl.configFile()).toAbsolutePath();
        return load(file, cl.stdin(), cl.options(), options);
    }

    /** A config file (or null) plus the command-line options that follow it ("--port 7000", "-" for stdin). */
    public static Config load(Path fileOrNull, List<String> commandLineArgs) throws ConfigException {
        return load(fileOrNull, commandLineArgs, Options.defaults());
    }

    public static Config load(Path fileOrNull, List<String> commandLineArgs, Options options) throws ConfigException {
        CommandLine cl = CommandLine.parseOptions(commandLineArgs, fileOrNull != null);
        return load(fileOrNull == null ? null : fileOrNull.toAbsolutePath(), cl.stdin(), cl.options(), options);
    }

    /** Parses config text directly (as if it were a whole config file's content). */
    public static Config loadString(String text, Options options) throws ConfigException {
        Config cfg = Config.defaults();
        ConfigTextParser parser = new ConfigTextParser(cfg, options);
        parser.parse(CStrings.toByteString(text));
        parser.finish();
        return cfg;
    }

    private static Config load(Path file, boolean stdin, String optionsText, Options options) throws ConfigException {
        Config cfg = Config.defaults();
        cfg.setConfigFile(file);
        StringBuilder text = new StringBuilder();
        if (file != null) {
            text.append(readConfigFile(file, file.toString()));
        }
        if (stdin) {
            Log.warning("Reading config from stdin");
            try {
                text.append(new String(options.stdin().readAllBytes(), StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                throw ConfigFileException.logLine("Fatal error, can't read config from stdin: " + CStrings.strerror(e));
            }
        }
        // Redis always appends "\n" and the options, so they start on a line of their own.
        text.append('\n').append(optionsText);
        ConfigTextParser parser = new ConfigTextParser(cfg, options);
        parser.parse(text.toString());
        parser.finish();
        return cfg;
    }

    /**
     * A config file's bytes in the one-char-per-byte form. A directory reads as empty (fopen succeeds on Linux
     * and fgets gets nothing); a missing or unreadable file is Redis's "can't open config file" error.
     */
    static String readConfigFile(Path path, String shownName) throws ConfigFileException {
        if (Files.isDirectory(path)) {
            return "";
        }
        try {
            return new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw ConfigFileException.logLine("Fatal error, can't open config file '" + shownName + "': " + CStrings.strerror(e));
        }
    }

    /** Tests that the log file can be opened for appending (creating it, like fopen "a"); returns strerror or null. */
    static String logfileProblem(Path logfile) {
        try (FileOutputStream out = new FileOutputStream(logfile.toFile(), true)) {
            return null;
        } catch (IOException e) {
            return CStrings.strerror(e);
        }
    }
}
