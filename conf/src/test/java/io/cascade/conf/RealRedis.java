package io.cascade.conf;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: a real redis-server (when on PATH) on a free loopback port, with a tiny RESP client, and a way to
 * run redis-server on a bad config to capture its fatal error text. Used by the comparison tests' thread only.
 */
final class RealRedis implements Closeable {
    private final Process process;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RealRedis(Process process, Socket socket) throws IOException {
        this.process = process;
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /** The redis-server binary, or null when it is not installed. */
    static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /**
     * Starts redis-server with only port, dir and "daemonize no" overridden, plus "bind 127.0.0.1" so the test
     * server is not reachable from other machines (bind's default is checked separately).
     */
    static RealRedis start(Path dir) throws IOException, InterruptedException {
        int port = freePort();
        return launch(dir, port, List.of("--port", Integer.toString(port), "--dir", dir.toString(),
                "--daemonize", "no", "--bind", "127.0.0.1"));
    }

    /** Starts redis-server on a config file; the file must set "port <port>" and "bind 127.0.0.1". */
    static RealRedis startWithFile(Path dir, Path conf, int port) throws IOException, InterruptedException {
        return launch(dir, port, List.of(conf.toString()));
    }

    private static RealRedis launch(Path dir, int port, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return new RealRedis(p, new Socket("127.0.0.1", port));
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    p.destroyForcibly();
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Sends a command; returns a String (status/bulk), "-ERR ..." for errors, a Long, or a List of those. */
    Object call(String... args) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            buf.write(("$" + b.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            buf.write(b);
            buf.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(buf.toByteArray());
        out.flush();
        return read();
    }

    private Object read() throws IOException {
        int type = in.read();
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                return "-" + line;
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(len);
                in.readNBytes(2);
                return new String(b, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("unexpected reply type " + type);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            b.write(c);
        }
        in.read();
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        try {
            call("SHUTDOWN", "NOSAVE");
        } catch (IOException expected) {
            // the server closes the connection while shutting down
        }
        socket.close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Runs redis-server with the arguments (expected to fail at config time) and returns its stderr. */
    static String fatalOutput(Path workDir, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("redis-server did not exit");
        }
        return new String(err, StandardCharsets.UTF_8);
    }
}
