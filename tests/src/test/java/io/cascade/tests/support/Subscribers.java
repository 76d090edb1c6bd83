package io.cascade.tests.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A subscribed connection to each server of a Twin, read in lockstep: what each one received since the last
 * check is compared byte for byte. To know that everything a command caused has arrived without sleeping, the
 * pair also listens on a channel of its own: {@link #drain} publishes a marker there (from the control session)
 * and reads up to it, since a server sends a subscriber its messages in the order it produced them. The channel
 * is the pair's alone, so one pair's markers never wait unread on another's connections, where they would be
 * read in place of a command's reply and let the test run ahead of the server.
 * Test thread.
 */
public final class Subscribers implements AutoCloseable {
    private static final AtomicInteger PAIRS = new AtomicInteger();

    private final String sync = "__sync__" + PAIRS.incrementAndGet();

    public final RawConnection redis;
    public final RawConnection cascade;
    private final int resp;
    private int marker;

    private Subscribers(Twin twin, int resp) throws IOException {
        this.redis = new RawConnection(twin.redis.port());
        this.cascade = new RawConnection(twin.cascade.port());
        this.resp = resp;
    }

    /** A pair in RESP2 or RESP3 (HELLO 3), already subscribed to the sync channel. */
    public static Subscribers open(Twin twin, int resp) throws IOException {
        Subscribers s = new Subscribers(twin, resp);
        if (resp == 3) {
            s.redis.call("HELLO", "3");
            s.cascade.call("HELLO", "3");
        }
        s.same("SUBSCRIBE", s.sync);
        return s;
    }

    /** The channel this pair listens on for drain markers. */
    public String channel() {
        return sync;
    }

    /** Sends a command on both connections and compares the first reply each sends back. */
    public String same(String... command) throws IOException {
        String expected = redis.call(command);
        String actual = cascade.call(command);
        assertEquals(expected, actual, "reply to " + String.join(" ", command) + " (RESP" + resp + ")");
        return expected;
    }

    /** Sends a command on both and compares the next n replies (a SUBSCRIBE of n channels). */
    public void sameReplies(int n, String... command) throws IOException {
        redis.send(RawConnection.encode(command));
        cascade.send(RawConnection.encode(command));
        for (int i = 0; i < n; i++) {
            assertEquals(redis.readReply(), cascade.readReply(),
                    "reply " + (i + 1) + " of " + n + " to " + String.join(" ", command) + " (RESP" + resp + ")");
        }
    }

    /**
     * As sameReplies where Redis's order comes from a hash table (UNSUBSCRIBE without arguments): the same
     * replies in any order, each confirmation's count aside (it counts down in that order).
     */
    public void sameRepliesAnyOrder(int n, String... command) throws IOException {
        redis.send(RawConnection.encode(command));
        cascade.send(RawConnection.encode(command));
        List<String> r = new ArrayList<>();
        List<String> c = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            r.add(withoutCount(redis.readReply()));
            c.add(withoutCount(cascade.readReply()));
        }
        r.sort(null);
        c.sort(null);
        assertEquals(r, c, "replies to " + String.join(" ", command) + " (RESP" + resp + ")");
    }

    private static String withoutCount(String reply) {
        return reply.replaceAll(":\\d+\r\n$", ":N\r\n");
    }

    /**
     * Everything each subscriber received since the last drain, up to a marker published through the control
     * session now; asserts both received the same bytes and returns Redis's.
     */
    public String drain(Twin.Session control, String what) throws IOException {
        String m = Integer.toString(++marker);
        control.same("PUBLISH", sync, m);
        String expected = readUntilMarker(redis, m);
        String actual = readUntilMarker(cascade, m);
        assertEquals(expected, actual, "messages after " + what + " (RESP" + resp + ")");
        return expected;
    }

    /**
     * For a RESP3 pair that runs commands itself: sends the command on both, then a marker published by the same
     * connections, and compares everything up to the marker (the command's reply with the pushes around or
     * inside it) and the PUBLISH's own reply; returns Redis's.
     */
    public String sameWithPushes(String... command) throws IOException {
        String m = Integer.toString(++marker);
        String what = String.join(" ", command) + " (RESP" + resp + ", pushes and reply)";
        for (RawConnection c : new RawConnection[] {redis, cascade}) {
            c.send(RawConnection.encode(command));
            c.send(RawConnection.encode("PUBLISH", sync, m));
        }
        String expected = readUntilMarker(redis, m) + redis.readReply();
        String actual = readUntilMarker(cascade, m) + cascade.readReply();
        assertEquals(expected, actual, what);
        return expected;
    }

    private String readUntilMarker(RawConnection c, String m) throws IOException {
        String end = (resp == 3 ? ">3" : "*3") + "\r\n$7\r\nmessage\r\n$" + sync.length() + "\r\n" + sync + "\r\n$"
                + m.length() + "\r\n" + m + "\r\n";
        StringBuilder all = new StringBuilder();
        while (true) {
            String reply = c.readReply();
            if (reply.equals(end)) {
                return all.toString();
            }
            all.append(reply);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            redis.close();
        } finally {
            cascade.close();
        }
    }
}
