package io.cascade.tests.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A raw socket that registers with a master as a replica (REPLCONF, PSYNC ? -1), skips the snapshot and then
 * reads the replication stream command by command, so that the streams of two masters can be compared
 * exactly. After a diskless snapshot the master streams nothing until the replica's first ACK, and it ignores
 * an ACK that comes before it has itself noticed the end of the transfer (Redis notices its child's exit on a
 * cron tick): the caller sends the first ACK once the master's INFO shows the replica online. Test thread only.
 */
public final class FakeReplica implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** The replication offset of the next byte to read. */
    private long offset;

    public FakeReplica(int masterPort) throws IOException {
        socket = new Socket("127.0.0.1", masterPort);
        socket.setSoTimeout(15_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        expectOk(RawConnection.encode("REPLCONF", "listening-port", String.valueOf(ServerProcess.freePort())));
        expectOk(RawConnection.encode("REPLCONF", "capa", "eof", "capa", "psync2"));
        send(RawConnection.encode("PSYNC", "?", "-1"));
        String reply = line();
        if (!reply.startsWith("+FULLRESYNC ")) {
            throw new IOException("expected +FULLRESYNC, got " + reply);
        }
        offset = Long.parseLong(reply.split(" ")[2]);
        skipSnapshot();
    }

    private void expectOk(byte[] command) throws IOException {
        send(command);
        String reply = line();
        if (!reply.equals("+OK")) {
            throw new IOException("expected +OK to " + new String(command, StandardCharsets.UTF_8) + ", got " + reply);
        }
    }

    /**
     * The payload: newlines first (the master's keepalives while it prepares it), then "$EOF:<40-byte mark>"
     * and everything up to that mark (diskless), or "$<length>" and exactly that many bytes (from disk).
     */
    private void skipSnapshot() throws IOException {
        String header;
        do {
            header = line();
        } while (header.isEmpty());
        if (header.startsWith("$EOF:")) {
            byte[] mark = header.substring(5).getBytes(StandardCharsets.US_ASCII);
            byte[] last = new byte[mark.length];
            long n = 0;
            while (true) {
                int b = read();
                System.arraycopy(last, 1, last, 0, last.length - 1);
                last[last.length - 1] = (byte) b;
                n++;
                if (n >= mark.length && Arrays.equals(last, mark)) {
                    return;
                }
            }
        }
        long length = Long.parseLong(header.substring(1));
        for (long i = 0; i < length; i++) {
            read();
        }
    }

    /** Sends REPLCONF ACK with the offset of everything read so far. */
    public void ack() throws IOException {
        send(RawConnection.encode("REPLCONF", "ACK", Long.toString(offset)));
    }

    /** The next command of the stream, its arguments as text (ISO-8859-1, so any byte survives). */
    public List<String> next() throws IOException {
        int first = read();
        offset++;
        if (first != '*') {
            throw new IOException("expected a multibulk in the stream, got byte " + first);
        }
        int argc = Integer.parseInt(counted());
        List<String> argv = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            int dollar = read();
            offset++;
            if (dollar != '$') {
                throw new IOException("expected a bulk string in the stream, got byte " + dollar);
            }
            int len = Integer.parseInt(counted());
            byte[] arg = in.readNBytes(len + 2);
            offset += arg.length;
            argv.add(new String(arg, 0, len, StandardCharsets.ISO_8859_1));
        }
        return argv;
    }

    private String counted() throws IOException {
        String l = line();
        offset += l.length() + 2;
        return l;
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = read();
            if (c == '\r') {
                read(); // '\n'
                return b.toString(StandardCharsets.ISO_8859_1);
            }
            if (c == '\n' && b.size() == 0) {
                return ""; // a keepalive newline
            }
            b.write(c);
        }
    }

    private int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("the master closed the replication link");
        }
        return b;
    }

    private void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
