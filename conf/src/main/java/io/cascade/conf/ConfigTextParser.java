package io.cascade.conf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * loadServerConfigFromString: applies config text line by line to a Config, following Redis's directive lookup
 * order and error texts; "include" parses other files recursively. One instance per load, startup thread.
 */
final class ConfigTextParser {
    private static final int MAX_INCLUDE_DEPTH = 32;

    private final Config cfg;
    private final ConfigFileParser.Options options;
    /** Redis's reading_config_file: cleared when an included file finishes (a Redis quirk kept for save). */
    private boolean readingConfigFile = true;
    /** Redis's save_loaded: the first save line of the load replaces the default rules, later ones add. */
    private boolean saveLoaded;
    private final Deque<Path> includeStack = new ArrayDeque<>();
    /** Current command name (lower case) to the original command it runs, for rename-command. */
    private final Map<String, String> commandNames = new HashMap<>();
    private final Map<String, String> renamed = new LinkedHashMap<>();
    private final List<List<String>> users = new ArrayList<>();
    private final List<List<String>> modules = new ArrayList<>();
    private final Map<String, String> moduleConfigs = new LinkedHashMap<>();

    ConfigTextParser(Config cfg, ConfigFileParser.Options options) {
        this.cfg = cfg;
        this.options = options;
        if (options.knownCommands() != null) {
            options.knownCommands().forEach(c -> commandNames.put(asciiLower(c), asciiLower(c)));
        }
    }

    /** Parses one text (a file's content, in one-char-per-byte form); line numbers count from its first line. */
    void parse(String text) throws ConfigFileException {
        readingConfigFile = true;
        String[] lines = text.isEmpty() ? new String[0] : text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = RewriteState.trim(lines[i]);
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            String reason = parseLine(line, i + 1);
            if (reason != null) {
                throw ConfigFileException.fatal(options.version(), i + 1, CStrings.fromByteString(line), reason);
            }
        }
        String reason = checkAtEnd();
        if (reason != null) {
            throw ConfigFileException.fatal(options.version(), 0, null, reason);
        }
        cfg.clampHz();
        readingConfigFile = false;
    }

    /** Hands what only the loader collects (renames, users, modules) to the Config. */
    void finish() {
        cfg.setFileDirectives(renamed, users, modules, moduleConfigs);
    }

    /** Applies one non-blank, non-comment line; returns Redis's error reason or null. */
    private String parseLine(String line, int lineNumber) throws ConfigFileException {
        List<String> raw = ArgSplitter.split(line);
        if (raw == null) {
            return "Unbalanced quotes in configuration line";
        }
        if (raw.isEmpty()) {
            return null;
        }
        List<String> argv = new ArrayList<>();
        raw.forEach(a -> argv.add(CStrings.fromByteString(a)));
        String name = asciiLower(argv.get(0));
        int argc = argv.size();
        ConfigEntry e = ConfigTable.lookup(name);

        if (e != null && e.isRuntime()) {
            return setStandard(e, raw, argv);
        }
        if (e != null && e.has(ConfigEntry.Flag.DEPRECATED) && argc == 2) {
            return null; // still accepted in old files, and ignored
        }
        if (name.equals("include") && argc == 2) {
            cfg.markSetAtStartup("include");
            include(argv.get(1), lineNumber, line);
        } else if (name.equals("rename-command") && argc == 3) {
            cfg.markSetAtStartup("rename-command");
            return renameCommand(argv.get(1), argv.get(2));
        } else if (name.equals("user") && argc >= 2) {
            cfg.markSetAtStartup("user");
            users.add(List.copyOf(argv.subList(1, argc)));
        } else if (name.equals("loadmodule") && argc >= 2) {
            cfg.markSetAtStartup("loadmodule");
            modules.add(List.copyOf(argv.subList(1, argc)));
        } else if (name.indexOf('.') >= 0) {
            if (argc < 2) {
                return "Module config specified without value";
            }
            moduleConfigs.put(name, String.join(" ", argv.subList(1, argc)));
        } else if (name.equals("sentinel")) {
            // Redis refuses "sentinel ..." lines outside sentinel mode; Cascade accepts and ignores them so a
            // sentinel-managed file does not stop startup (reported by unimplementedInUse).
            cfg.markSetAtStartup("sentinel");
        } else {
            return "Bad directive or wrong number of arguments";
        }
        return null;
    }

    /** A directive of the standard table: argument count, multi-argument splitting, parsing. */
    private String setStandard(ConfigEntry e, List<String> raw, List<String> argv) {
        int argc = argv.size();
        boolean multi = e.has(ConfigEntry.Flag.MULTI_ARG);
        if (!multi && argc != 2) {
            return "wrong number of arguments";
        }
        List<String> args;
        if (multi && argc == 2 && !argv.get(1).isEmpty()) {
            // One non-empty argument of a multi-argument directive is split again, so that --save "3600 1 300 100"
            // works; a split error leaves no arguments at all, as in C.
            List<String> again = ArgSplitter.split(raw.get(1));
            args = new ArrayList<>();
            if (again != null) {
                again.forEach(a -> args.add(CStrings.fromByteString(a)));
            }
        } else {
            args = argv.subList(1, argc);
        }
        Object current = cfg.raw(e);
        if (e.name().equals("save")) {
            current = readingConfigFile && saveLoaded ? current : null;
        }
        try {
            Object value = e.codec().parse(args, current, cfg);
            cfg.putRaw(e, value);
        } catch (Codec.BadValue bad) {
            return bad.getMessage();
        }
        if (e.name().equals("save") && readingConfigFile) {
            saveLoaded = true;
        }
        cfg.markSetAtStartup(e.name());
        return null;
    }

    /**
     * "include path": parses the file (or every file a glob matches; none is fine) as its own text. Relative paths
     * are relative to the current dir, since Redis has chdir()ed there.
     */
    private void include(String path, int lineNumber, String line) throws ConfigFileException {
        List<Path> files;
        Path base = cfg.dir();
        if (IncludeGlob.hasWildcard(path)) {
            files = IncludeGlob.expand(base, path);
        } else {
            files = List.of(base.resolve(path));
        }
        for (Path file : files) {
            Path real = realPath(file);
            if (includeStack.contains(real) || includeStack.size() >= MAX_INCLUDE_DEPTH) {
                // Redis recurses until it crashes; Cascade stops with an error at the include line.
                throw ConfigFileException.fatal(options.version(), lineNumber, CStrings.fromByteString(line),
                        "Recursive or too deeply nested include of '" + path + "'");
            }
            String shown = IncludeGlob.hasWildcard(path) ? file.toString() : path;
            String text = ConfigFileParser.readConfigFile(file, shown);
            includeStack.push(real);
            try {
                parse(text);
            } finally {
                includeStack.pop();
            }
        }
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /**
     * rename-command old new: old must be a current command name, new ("" disables) must not be one. Without a
     * list of known commands only the renames of this file can be checked.
     */
    private String renameCommand(String from, String to) {
        String fromKey = asciiLower(from);
        String original = commandNames.get(fromKey);
        if (original == null) {
            if (options.knownCommands() != null || renamed.containsKey(fromKey)) {
                return "No such command in rename-command";
            }
            original = fromKey; // unknown list: assume it is a command
        }
        commandNames.remove(fromKey);
        if (!to.isEmpty()) {
            String toKey = asciiLower(to);
            if (commandNames.containsKey(toKey)) {
                return "Target command name already exists";
            }
            commandNames.put(toKey, original);
        }
        if (asciiLower(to).equals(original)) {
            renamed.remove(original); // renamed back to itself
        } else {
            renamed.put(original, to);
        }
        return null;
    }

    /** The sanity checks at the end of loadServerConfigFromString. */
    private String checkAtEnd() {
        String logfile = cfg.getString("logfile");
        if (options.checkLogfile() && !logfile.isEmpty()) {
            String problem = ConfigFileParser.logfileProblem(cfg.dir().resolve(logfile));
            if (problem != null) {
                return "Can't open the log file: " + problem;
            }
        }
        if (cfg.getBool("cluster-enabled") && cfg.replicaof() != null) {
            return "replicaof directive not allowed in cluster mode";
        }
        return null;
    }

    /** sdstolower: ASCII only, as tolower() in the C locale. */
    static String asciiLower(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return sb.toString();
    }
}
