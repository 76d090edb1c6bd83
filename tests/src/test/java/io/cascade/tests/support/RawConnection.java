package io.cascade.tests.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A bare RESP connection that returns replies as the exact bytes the server sent, so that replies of
 * redis-server and Cascade can be compared byte for byte. Test thread only.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends a command as a RESP multibulk and returns its whole reply. */
    public String call(String... args) throws IOException {
        send(encode(args));
        return readReply();
    }

    /**
     * As call, binary-safe: every char of the arguments is one byte (ISO-8859-1) and so is every byte of the
     * reply, for DUMP payloads and the like.
     */
    public String callBinary(String... args) throws IOException {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        send(b.toString().getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        readValue(buf);
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads one complete reply as callBinary does: one char per byte. */
    public String readReplyBinary() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        readValue(buf);
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    public static byte[] encode(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads one complete reply (any RESP2/RESP3 type, nested), returned as its raw text. */
    public String readReply() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        readValue(buf);
        return buf.toString(StandardCharsets.UTF_8);
    }

    private void readValue(ByteArrayOutputStream buf) throws IOException {
        String line = readLine(buf);
        char type = line.charAt(0);
        switch (type) {
            case '+', '-', ':', '_', ',', '#', '(' -> {
                // single-line types
            }
            case '$', '=', '!' -> {
                int len = Integer.parseInt(line.substring(1));
                if (len >= 0) {
                    byte[] data = in.readNBytes(len + 2);
                    buf.write(data);
                }
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < n; i++) {
                    readValue(buf);
                }
            }
            case '%', '|' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < 2 * n; i++) {
                    readValue(buf);
                }
            }
            default -> throw new IOException("unexpected reply type '" + type + "' in: " + line);
        }
    }

    private String readLine(ByteArrayOutputStream buf) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed by the server after: " + line);
            }
            buf.write(c);
            if (prev == '\r' && c == '\n') {
                byte[] b = line.toByteArray();
                return new String(b, 0, b.length - 1, StandardCharsets.UTF_8);
            }
            line.write(c);
            prev = c;
        }
    }

    /** Everything the server sends until it closes the connection (or 5 s of silence). */
    public String readUntilClosed() throws IOException {
        socket.setSoTimeout(5_000);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                all.write(b);
            }
        } catch (SocketTimeoutException e) {
            all.write("(still open)".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException reset) {
            // a reset ends the stream too
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** True when the server has closed the connection (reads end of stream within the timeout). */
    public boolean closedByServer() throws IOException {
        socket.setSoTimeout(5_000);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
