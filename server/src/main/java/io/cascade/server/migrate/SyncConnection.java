package io.cascade.server.migrate;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A TCP connection used synchronously with a timeout on every operation, as Redis's syncio.c (connect, write,
 * read a line): a non-blocking channel waited on with its own selector, because a blocking Java socket has no
 * write timeout. A timeout throws SocketTimeoutException (Redis's ETIMEDOUT, which MIGRATE never retries);
 * the peer closing throws EOFException. Used on the migrate thread only.
 */
final class SyncConnection implements AutoCloseable {
    /** syncReadLine's buffer in migrateCommand is 1024 bytes: a longer line is cut, its rest read next. */
    static final int MAX_LINE = 1023;

    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer in = ByteBuffer.allocate(4096).flip();
    /** Why the connection never completed: thrown by the first write. */
    private IOException failure;

    private SyncConnection(SocketChannel channel, Selector selector) {
        this.channel = channel;
        this.selector = selector;
    }

    /**
     * connBlockingConnect: a failure at once (a host that does not resolve) throws; a connection still under
     * way is waited for up to timeoutMillis, and when that fails or times out Redis goes on as if connected,
     * so the error (a refused connection, or the timeout) is what the first write throws. That is why Redis
     * answers a port where nothing listens with "error or timeout writing", not "connecting".
     */
    static SyncConnection connect(String host, int port, long timeoutMillis) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UnknownHostException(host);
        }
        SocketChannel ch = SocketChannel.open();
        Selector sel = null;
        try {
            ch.configureBlocking(false);
            sel = Selector.open();
            SyncConnection conn = new SyncConnection(ch, sel);
            if (!ch.connect(address)) {
                try {
                    conn.await(SelectionKey.OP_CONNECT, timeoutMillis);
                    ch.finishConnect();
                } catch (IOException e) {
                    conn.failure = e;
                    return conn;
                }
            }
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return conn;
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (sel != null) {
                sel.close();
            }
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    /** syncWrite: all of buf[off, off+len), the timeout counted from the start of the call. */
    void write(byte[] buf, int off, int len, long timeoutMillis) throws IOException {
        if (failure != null) {
            throw failure;
        }
        ByteBuffer out = ByteBuffer.wrap(buf, off, len);
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                await(SelectionKey.OP_WRITE, deadline - System.currentTimeMillis());
            }
        }
    }

    /**
     * syncReadLine: the next line without its CR LF, at most MAX_LINE bytes; each wait for more bytes may last
     * timeoutMillis (Redis reads byte by byte, each with the whole timeout).
     */
    String readLine(long timeoutMillis) throws IOException {
        byte[] line = new byte[MAX_LINE];
        int n = 0;
        while (n < MAX_LINE) {
            if (!in.hasRemaining()) {
                fill(timeoutMillis);
            }
            byte b = in.get();
            if (b == '\n') {
                break;
            }
            line[n++] = b;
        }
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        return new String(line, 0, n, StandardCharsets.ISO_8859_1);
    }

    private void fill(long timeoutMillis) throws IOException {
        in.clear();
        try {
            while (true) {
                int r = channel.read(in);
                if (r < 0) {
                    throw new EOFException("connection closed by the target");
                }
                if (r > 0) {
                    return;
                }
                await(SelectionKey.OP_READ, timeoutMillis);
            }
        } finally {
            in.flip();
        }
    }

    private void await(int op, long millis) throws IOException {
        if (millis <= 0) {
            throw new SocketTimeoutException("timeout");
        }
        SelectionKey key = channel.register(selector, op);
        try {
            if (selector.select(millis) == 0) {
                throw new SocketTimeoutException("timeout");
            }
        } finally {
            key.interestOps(0);
            selector.selectedKeys().clear();
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing: nothing more to do with it
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing more to do with it
        }
    }
}
