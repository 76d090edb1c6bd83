package io.cascade.storage;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: a real redis-server from PATH on a free loopback port in a temporary directory, with DEBUG
 * enabled, and a binary-safe RESP client to it. Used from the test thread only.
 */
final class RedisProcess implements AutoCloseable {
    private final Process process;
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RedisProcess(Process process, Socket socket) throws IOException {
        this.process = process;
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /** The redis-server binary on PATH, or null. */
    static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    static RedisProcess start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("digest-redis-");
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--enable-debug-command", "yes")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return new RedisProcess(p, new Socket("127.0.0.1", port));
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    p.destroyForcibly();
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    Object call(String... args) throws IOException {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return call(b);
    }

    /** Sends one command; returns String (status or bulk), "-..." for an error, Long, null, or a List. */
    Object call(byte[]... args) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            buf.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            buf.write(a);
            buf.write('\r');
            buf.write('\n');
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
                return new String(b, StandardCharsets.ISO_8859_1);
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
        return b.toString(StandardCharsets.ISO_8859_1);
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
}
