package io.cascade.conf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigFileParserTest {
    @TempDir
    Path tmp;

    private static final ConfigFileParser.Options OPTS = ConfigFileParser.Options.defaults().withCheckLogfile(false);

    private Path file(String name, String content) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private Config load(String content, String... args) throws Exception {
        List<String> argv = new ArrayList<>();
        argv.add(file("redis.conf", content).toString());
        argv.addAll(List.of(args));
        return ConfigFileParser.load(argv, OPTS);
    }

    private ConfigFileException loadError(String content, String... args) {
        return assertThrows(ConfigFileException.class, () -> load(content, args));
    }

    private static String fatal(int line, String text, String reason) {
        return "\n*** FATAL CONFIG FILE ERROR (Cascade) ***\nReading the configuration file, at line " + line
                + "\n>>> '" + text + "'\n" + reason;
    }

    @Test
    void plainValuesCommentsAndCase() throws Exception {
        Config c = load("# a comment\n\n   port 7000  \nLOGLEVEL Warning\n\t# indented comment\ndatabases 4\r\n");
        assertEquals(7000, c.getInt("port"));
        assertEquals("warning", c.getEnum("loglevel"));
        assertEquals(4, c.getInt("databases"));
        assertEquals(tmp.resolve("redis.conf"), c.configFile());
    }

    @Test
    void quotingAndEscapes() throws Exception {
        Config c = load("logfile \"/tmp/a b.log\"\nmasterauth 'it\\'s'\nrequirepass \"\\x41\\tB\"\nreplica-announce-ip \"\"\n");
        assertEquals("/tmp/a b.log", c.getString("logfile"));
        assertEquals("it's", c.getString("masterauth"));
        assertEquals("A\tB", c.getString("requirepass"));
        assertEquals("", c.getString("replica-announce-ip"));
    }

    @Test
    void unbalancedQuotes() {
        ConfigFileException e = loadError("port 1\nlogfile \"abc\n");
        assertEquals(fatal(2, "logfile \"abc", "Unbalanced quotes in configuration line"), e.getMessage());
        assertTrue(e.isFatalBlock());
        assertEquals(2, e.lineNumber());
        assertEquals("Unbalanced quotes in configuration line", e.reason());
        assertEquals(fatal(1, "port \"7000\"x", "Unbalanced quotes in configuration line"),
                loadError("port \"7000\"x\n").getMessage());
    }

    @Test
    void memoryUnits() throws Exception {
        Config c = load("maxmemory 1gb\nrepl-backlog-size 10mb\nproto-max-bulk-len 2M\nclient-query-buffer-limit 1048576\n");
        assertEquals(1L << 30, c.getMemory("maxmemory"));
        assertEquals(10L << 20, c.getMemory("repl-backlog-size"));
        assertEquals(2_000_000, c.getMemory("proto-max-bulk-len"));
        assertEquals("1073741824", c.getString("maxmemory"));
        assertEquals(fatal(1, "maxmemory 1x", "argument must be a memory value"), loadError("maxmemory 1x\n").getMessage());
    }

    @Test
    void saveLinesAccumulateAndEmptyResets() throws Exception {
        assertEquals(List.of(new SaveRule(100, 1), new SaveRule(200, 2)), load("save 100 1\nsave 200 2\n").saveRules());
        assertEquals(List.of(new SaveRule(200, 2)), load("save 100 1\nsave \"\"\nsave 200 2\nsave\n").saveRules());
        assertEquals(List.of(), load("save \"\"\n").saveRules());
        assertEquals("3600 1 300 100 60 10000", load("port 1\n").getString("save"));
        assertEquals(List.of(new SaveRule(10, 1), new SaveRule(20, 2)), load("save \"10 1 20 2\"\n").saveRules());
        assertEquals(fatal(1, "save 1", "Invalid save parameters"), loadError("save 1\n").getMessage());
        assertEquals(fatal(1, "save 0 1", "Invalid save parameters"), loadError("save 0 1\n").getMessage());
    }

    @Test
    void saveAfterAnIncludeReplacesInsteadOfAdding() throws Exception {
        // Redis quirk: an included file clears reading_config_file, so each later save line starts afresh.
        file("empty.conf", "");
        Config c = load("include " + tmp.resolve("empty.conf") + "\nsave 100 1\nsave 200 2\n");
        assertEquals(List.of(new SaveRule(200, 2)), c.saveRules());
    }

    @Test
    void lastSingleValueWins() throws Exception {
        assertEquals(2, load("port 1\nport 2\n").getInt("port"));
    }

    @Test
    void outputBufferLimitsPerClass() throws Exception {
        Config c = load("client-output-buffer-limit replica 1mb 512kb 30\nclient-output-buffer-limit pubsub 1 2 3\n");
        assertEquals(new ClientOutputBufferLimit(1 << 20, 512 << 10, 30), c.outputBufferLimit("replica"));
        assertEquals(new ClientOutputBufferLimit(1 << 20, 512 << 10, 30), c.outputBufferLimit("SLAVE"));
        assertEquals(new ClientOutputBufferLimit(1, 2, 3), c.outputBufferLimit("pubsub"));
        assertEquals(new ClientOutputBufferLimit(0, 0, 0), c.outputBufferLimit("normal"));
        assertEquals("normal 0 0 0 slave 1048576 524288 30 pubsub 1 2 3", c.getString("client-output-buffer-limit"));
        assertEquals(fatal(1, "client-output-buffer-limit master 1 2 3",
                        "Invalid client class specified in buffer limit configuration."),
                loadError("client-output-buffer-limit master 1 2 3\n").getMessage());
    }

    @Test
    void aliases() throws Exception {
        Config c = load("slaveof 10.0.0.1 6380\nslave-read-only no\nhash-max-ziplist-entries 64\nlua-time-limit 100\n");
        assertEquals(new HostPort("10.0.0.1", 6380), c.replicaof());
        assertFalse(c.getBool("replica-read-only"));
        assertEquals(64, c.getLong("hash-max-listpack-entries"));
        assertEquals(100, c.getLong("busy-reply-threshold"));
        assertNull(load("replicaof 1.2.3.4 5\nreplicaof no one\n").replicaof());
        assertEquals(fatal(1, "replicaof a b", "Invalid master port"), loadError("replicaof a b\n").getMessage());
    }

    @Test
    void specialValues() throws Exception {
        Config c = load("bind 127.0.0.1 ::1\nunixsocketperm 700\noom-score-adj-values 1 2 3\n"
                + "notify-keyspace-events KEA\nlatency-tracking-info-percentiles \"50 99.99\"\nhz 1000\n");
        assertEquals(List.of("127.0.0.1", "::1"), c.bind());
        assertEquals(0700, c.getLong("unixsocketperm"));
        assertEquals("700", c.getString("unixsocketperm"));
        assertEquals("1 2 3", c.getString("oom-score-adj-values"));
        assertEquals("AKE", c.getString("notify-keyspace-events"));
        assertEquals("50 99.99", c.getString("latency-tracking-info-percentiles"));
        assertEquals(500, c.getLong("hz")); // clamped like Redis
        assertEquals(List.of(), load("bind \"\"\n").bind());
        assertEquals(fatal(1, "unixsocketperm 800", "argument couldn't be parsed as an octal number"),
                loadError("unixsocketperm 800\n").getMessage());
        assertEquals(fatal(1, "unixsocketperm 1000", "argument must be between 0 and 777 inclusive"),
                loadError("unixsocketperm 1000\n").getMessage());
    }

    @Test
    void dirIsResolvedAndChecked() throws Exception {
        Files.createDirectories(tmp.resolve("data/sub"));
        Config c = load("dir " + tmp.resolve("data") + "\ndir sub\n");
        assertEquals(tmp.resolve("data/sub").toRealPath(), c.dir());
        assertEquals(fatal(1, "dir /nonexistent-dir", "No such file or directory"),
                loadError("dir /nonexistent-dir\n").getMessage());
        file("plain", "x");
        assertEquals(fatal(1, "dir " + tmp.resolve("plain"), "Not a directory"),
                loadError("dir " + tmp.resolve("plain") + "\n").getMessage());
    }

    @Test
    void includesNestedRelativeAndGlob() throws Exception {
        Files.createDirectories(tmp.resolve("conf.d"));
        file("conf.d/b.conf", "maxclients 50\n");
        file("conf.d/a.conf", "maxclients 40\ntimeout 9\n");
        file("conf.d/.hidden.conf", "timeout 99\n");
        file("inner.conf", "include " + tmp.resolve("conf.d/*.conf") + "\nport 6000\n");
        Config c = load("dir " + tmp + "\ninclude inner.conf\ninclude " + tmp + "/none/*.conf\nport 6001\n");
        assertEquals(6001, c.getInt("port"));
        assertEquals(50, c.getInt("maxclients")); // a.conf then b.conf, sorted
        assertEquals(9, c.getInt("timeout")); // dot files are not matched by *
    }

    @Test
    void includeErrors() throws Exception {
        ConfigFileException missing = loadError("include " + tmp.resolve("missing.conf") + "\n");
        assertFalse(missing.isFatalBlock());
        assertEquals("Fatal error, can't open config file '" + tmp.resolve("missing.conf")
                + "': No such file or directory", missing.getMessage());
        file("bad.conf", "port 1\nfoo bar\n");
        assertEquals(fatal(2, "foo bar", "Bad directive or wrong number of arguments"),
                loadError("port 2\ninclude " + tmp.resolve("bad.conf") + "\n").getMessage());
        file("loop.conf", "include " + tmp.resolve("loop.conf") + "\n");
        ConfigFileException loop = loadError("include " + tmp.resolve("loop.conf") + "\n");
        assertTrue(loop.reason().startsWith("Recursive or too deeply nested include"), loop.getMessage());
    }

    @Test
    void errorTexts() {
        assertEquals(fatal(2, "foo bar", "Bad directive or wrong number of arguments"),
                loadError("port 7000\nfoo bar\n").getMessage());
        assertEquals(fatal(1, "port 1 2", "wrong number of arguments"), loadError("port 1 2\n").getMessage());
        assertEquals(fatal(1, "port abc", "argument couldn't be parsed into an integer"), loadError("port abc\n").getMessage());
        assertEquals(fatal(1, "port 70000", "argument must be between 0 and 65535 inclusive"),
                loadError("port 70000\n").getMessage());
        assertEquals(fatal(1, "loglevel x", "argument(s) must be one of the following: debug, verbose, notice, warning"),
                loadError("loglevel x\n").getMessage());
        assertEquals(fatal(1, "daemonize maybe", "argument must be 'yes' or 'no'"), loadError("daemonize maybe\n").getMessage());
        assertEquals(fatal(1, "user", "Bad directive or wrong number of arguments"), loadError("user\n").getMessage());
        assertEquals(fatal(1, "loadmodule", "Bad directive or wrong number of arguments"), loadError("loadmodule\n").getMessage());
        assertEquals(fatal(1, "include", "Bad directive or wrong number of arguments"), loadError("include\n").getMessage());
        assertEquals(fatal(1, "my.mod", "Module config specified without value"), loadError("my.mod\n").getMessage());
        assertEquals(fatal(1, "dbfilename a/b", "dbfilename can't be a path, just a filename"),
                loadError("dbfilename a/b\n").getMessage());
        assertEquals(fatal(1, "list-max-ziplist-entries 1 2", "Bad directive or wrong number of arguments"),
                loadError("list-max-ziplist-entries 1 2\n").getMessage());
    }

    @Test
    void endOfLoadChecks() throws Exception {
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> ConfigFileParser.load(
                List.of(file("c.conf", "logfile /nonexistent-dir/x.log\n").toString()), ConfigFileParser.Options.defaults()));
        assertEquals("\n*** FATAL CONFIG FILE ERROR (Cascade) ***\nCan't open the log file: No such file or directory",
                e.getMessage());
        assertEquals(0, e.lineNumber());
        assertEquals("\n*** FATAL CONFIG FILE ERROR (Cascade) ***\nreplicaof directive not allowed in cluster mode",
                loadError("cluster-enabled yes\nreplicaof 1.2.3.4 5\n").getMessage());
        Path log = tmp.resolve("ok.log");
        Config c = ConfigFileParser.load(List.of(file("d.conf", "logfile " + log + "\n").toString()),
                ConfigFileParser.Options.defaults());
        assertEquals(log.toString(), c.getString("logfile"));
        assertTrue(Files.exists(log)); // opened for appending like fopen("a")
    }

    @Test
    void acceptedAndIgnored() throws Exception {
        Config c = load("sentinel monitor mymaster 127.0.0.1 6379 2\nsentinel\nlist-max-ziplist-entries 512\n"
                + "lua-replicate-commands yes\nloadmodule /x/mod.so a b\nuser alice on >pw ~* +@all\nmy.mod 1 2\n"
                + "appendonly no\nsyslog-enabled yes\nport 7000\n");
        assertEquals(List.of(List.of("/x/mod.so", "a", "b")), c.loadModules());
        assertEquals(List.of(List.of("alice", "on", ">pw", "~*", "+@all")), c.users());
        assertEquals(Map.of("my.mod", "1 2"), c.moduleConfigs());
        assertEquals(List.of("syslog-enabled", "loadmodule", "sentinel", "my.mod"), c.unimplementedInUse());
    }

    @Test
    void renameCommand() throws Exception {
        Config c = load("rename-command CONFIG \"\"\nrename-command get fetch\nrename-command fetch grab\n");
        assertEquals(Map.of("config", "", "get", "grab"), c.renamedCommands());
        ConfigFileParser.Options known = OPTS.withKnownCommands(List.of("get", "set", "config"));
        Path f = file("r.conf", "rename-command foo bar\n");
        assertEquals(fatal(1, "rename-command foo bar", "No such command in rename-command"),
                assertThrows(ConfigFileException.class, () -> ConfigFileParser.load(List.of(f.toString()), known)).getMessage());
        Path g = file("s.conf", "rename-command get set\n");
        assertEquals(fatal(1, "rename-command get set", "Target command name already exists"),
                assertThrows(ConfigFileException.class, () -> ConfigFileParser.load(List.of(g.toString()), known)).getMessage());
        assertEquals(fatal(2, "rename-command get x", "No such command in rename-command"),
                loadError("rename-command get fetch\nrename-command get x\n").getMessage());
    }

    @Test
    void commandLineOptionsComeAfterTheFile() throws Exception {
        Config c = load("port 7000\nsave 100 1\n", "--port", "7001", "--save", "", "--logfile", "a b.log");
        assertEquals(7001, c.getInt("port"));
        assertEquals(List.of(), c.saveRules());
        assertEquals("a b.log", c.getString("logfile"));
        // options follow the file after an extra "\n": "port 7000\n" + "\n" + options puts them on line 3
        assertEquals(fatal(3, "foo \"bar\"", "Bad directive or wrong number of arguments"),
                loadError("port 7000\n", "--foo", "bar").getMessage());
        assertEquals(fatal(2, "port \"abc\"", "argument couldn't be parsed into an integer"),
                loadError("port 7000", "--port", "abc").getMessage());
    }

    @Test
    void commandLineWithoutFile() throws Exception {
        Config c = ConfigFileParser.load(List.of("--port", "7002", "--save", "10 1 20 2", "--bind", "127.0.0.1", "::1"), OPTS);
        assertEquals(7002, c.getInt("port"));
        assertNull(c.configFile());
        assertEquals(List.of(new SaveRule(10, 1), new SaveRule(20, 2)), c.saveRules());
        assertEquals(List.of("127.0.0.1", "::1"), c.bind());
        assertEquals(List.of(), ConfigFileParser.load(List.of("--save"), OPTS).saveRules());
        Config d = ConfigFileParser.load(List.of("--save", "--port", "7003"), OPTS);
        assertEquals(List.of(), d.saveRules());
        assertEquals(7003, d.getInt("port"));
        assertEquals(7004, ConfigFileParser.load(List.of("--sentinel", "--port", "7004"), OPTS).getInt("port"));
        assertEquals(7005, ConfigFileParser.load(List.of("--port 7005"), OPTS).getInt("port"));
        ConfigFileException e = assertThrows(ConfigFileException.class,
                () -> ConfigFileParser.load(List.of("--foo", "bar"), OPTS));
        assertEquals(fatal(2, "foo \"bar\"", "Bad directive or wrong number of arguments"), e.getMessage());
        assertEquals(Config.defaults().getInt("port"), ConfigFileParser.load(List.of(), OPTS).getInt("port"));
    }

    @Test
    void pathAndOptionsApi() throws Exception {
        Path f = file("p.conf", "port 7000\n");
        assertEquals(7010, ConfigFileParser.load(f, List.of("--port", "7010"), OPTS).getInt("port"));
        assertEquals(7000, ConfigFileParser.load(f, List.of(), OPTS).getInt("port"));
        assertEquals(6379, ConfigFileParser.load((Path) null, List.of(), OPTS).getInt("port"));
    }

    @Test
    void stdin() throws Exception {
        ConfigFileParser.Options in = OPTS.withStdin(new ByteArrayInputStream("port 7100\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(7100, ConfigFileParser.load(List.of("-"), in).getInt("port"));
        ConfigFileParser.Options in2 = OPTS.withStdin(new ByteArrayInputStream("port 7101\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(7102, ConfigFileParser.load(List.of("-", "--port", "7102"), in2).getInt("port"));
        ConfigFileParser.Options in3 = OPTS.withStdin(new ByteArrayInputStream("timeout 5\n".getBytes(StandardCharsets.UTF_8)));
        Config c = ConfigFileParser.load(List.of(file("f.conf", "port 7103\n").toString(), "-"), in3);
        assertEquals(7103, c.getInt("port"));
        assertEquals(5, c.getInt("timeout"));
    }

    @Test
    void missingConfigFile() {
        ConfigFileException e = assertThrows(ConfigFileException.class,
                () -> ConfigFileParser.load(List.of(tmp.resolve("nope.conf").toString()), OPTS));
        assertEquals("Fatal error, can't open config file '" + tmp.resolve("nope.conf") + "': No such file or directory",
                e.getMessage());
    }

    @Test
    void versionInTheBanner() throws Exception {
        Path f = file("v.conf", "foo\n");
        ConfigFileException e = assertThrows(ConfigFileException.class,
                () -> ConfigFileParser.load(List.of(f.toString()), OPTS.withVersion("Cascade 0.1.0")));
        assertTrue(e.getMessage().startsWith("\n*** FATAL CONFIG FILE ERROR (Cascade 0.1.0) ***\n"));
    }

    @Test
    void debianRedisConf() throws Exception {
        Path conf = Path.of("/etc/redis/redis.conf");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(conf), "SKIPPED: " + conf + " not present");
        Config c = ConfigFileParser.load(List.of(conf.toString()), OPTS);
        assertEquals("/var/log/redis/redis-server.log", c.getString("logfile"));
        assertEquals("/run/redis/redis-server.pid", c.getString("pidfile"));
        assertEquals(List.of("127.0.0.1", "-::1"), c.bind());
        assertTrue(c.getBool("daemonize"));
        assertEquals(new ClientOutputBufferLimit(256L << 20, 64L << 20, 60), c.outputBufferLimit("replica"));
    }
}
