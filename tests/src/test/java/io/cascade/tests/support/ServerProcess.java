package io.cascade.tests.support;

import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real server process for integration tests: redis-server from PATH, or Cascade from the packaged jar,
 * on 127.0.0.1 with a free port and its own temporary directory. Its output is kept in a log file that the
 * Servers extension prints when a test fails. Used from the test thread.
 */
public final class ServerProcess implements AutoCloseable {
    private final String kind;
    private final Process process;
    private final int port;
    private final Path dir;
    private final Path log;

    private ServerProcess(String kind, List<String> command, int port, Path dir) throws IOException {
        this.kind = kind;
        this.port = port;
        this.dir = dir;
        this.log = dir.resolve("server.out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        this.process = pb.start();
    }

    /** Starts redis-server with the given directives (after port, dir and a few test defaults). */
    public static ServerProcess redis(String... directives) throws IOException {
        Path dir = Files.createTempDirectory("redis-it-");
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind",
                "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--enable-debug-command", "yes"));
        cmd.addAll(Arrays.asList(directives));
        return started(new ServerProcess("redis-server", cmd, port, dir));
    }

    /** Starts Cascade as the launcher does: the packaged jar with the JVM flags from the parent pom. */
    public static ServerProcess cascade(String... args) throws IOException {
        return cascadeWith(List.of(), List.of(args));
    }

    /**
     * Starts Cascade with leading arguments (e.g. a config file path) before the test's port, bind and dir
     * overrides, then more arguments after them.
     */
    public static ServerProcess cascadeWith(List<String> leading, List<String> trailing) throws IOException {
        Path dir = Files.createTempDirectory("cascade-it-");
        int port = freePort();
        List<String> cmd = cascadeCommand();
        cmd.addAll(leading);
        cmd.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--daemonize", "no", "--logfile", ""));
        cmd.addAll(trailing);
        return started(new ServerProcess("cascade", cmd, port, dir));
    }

    /**
     * Starts Cascade on dir (which the process owns and removes on close) without waiting until it is ready:
     * for tests of what it answers while it loads its RDB file.
     */
    public static ServerProcess cascadeStarting(Path dir, String... args) throws IOException {
        return cascadeStarting(dir, freePort(), args);
    }

    /** A restart: Cascade on dir and on a given port (a former server's, where its replicas reconnect). */
    public static ServerProcess cascadeStarting(Path dir, int port, String... args) throws IOException {
        List<String> cmd = cascadeCommand();
        cmd.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--daemonize", "no", "--logfile", ""));
        cmd.addAll(Arrays.asList(args));
        ServerProcess p = new ServerProcess("cascade", cmd, port, dir);
        Servers.track(p);
        return p;
    }

    /** As cascadeStarting on a given port, once it serves its dataset. */
    public static ServerProcess cascadeRestarted(Path dir, int port, String... args) throws IOException {
        ServerProcess p = cascadeStarting(dir, port, args);
        p.awaitReady();
        return p;
    }

    /** java + JVM flags + -jar, for tests that run the server with arguments of their own. */
    public static List<String> cascadeCommand() throws IOException {
        Path jar = Path.of(System.getProperty("cascade.server.jar", "../server/target/cascade-server.jar"));
        Path flags = jar.getParent().resolve("classes/cascade-jvm.flags");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(Files.readString(flags).trim().split("\\s+")));
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        return cmd;
    }

    private static ServerProcess started(ServerProcess p) throws IOException {
        Servers.track(p);
        p.awaitReady();
        return p;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /**
     * Waits until the server answers PING (or a NOAUTH error, which also proves it is serving), and has
     * finished loading its RDB file (-LOADING until then).
     */
    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(kind + " exited with " + process.exitValue() + " before it was ready:\n" + log());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(2000);
                OutputStream out = s.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                StringBuilder line = new StringBuilder();
                for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                    line.append((char) c);
                }
                // -LOADING: serving already, but still loading its RDB file; the test wants the dataset
                boolean loading = line.toString().startsWith("-LOADING");
                if ((line.toString().startsWith("+") || line.toString().startsWith("-")) && !loading) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(50);
        }
        throw new IOException(kind + " did not become ready on port " + port + ":\n" + log());
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public String kind() {
        return kind;
    }

    public Process process() {
        return process;
    }

    public Jedis jedis() {
        return new Jedis("127.0.0.1", port, 10_000);
    }

    /** Runs redis-cli against this server and returns its standard output (trailing newline removed). */
    public String cli(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        cmd.addAll(Arrays.asList(args));
        return Cli.run(cmd, null);
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no output)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Waits for the process to exit by itself (after SHUTDOWN), returning its exit code. */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError(kind + " still running after " + seconds + "s:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        Servers.untrack(this);
        deleteTree(dir);
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary directory: best effort
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
