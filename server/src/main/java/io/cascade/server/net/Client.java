package io.cascade.server.net;

import io.cascade.conf.ClientOutputBufferLimit;
import io.cascade.replication.ReplicaSession;
import io.cascade.server.Transaction;
import io.cascade.server.acl.AclUser;
import io.cascade.storage.types.Bytes;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.unix.DomainSocketAddress;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection's state. Fields are owned by the command thread, except those marked volatile or
 * atomic, which the connection's I/O thread also reads (pending count, auth state for the parser's limits).
 */
public final class Client {
    public final long id;
    public final Channel channel;
    public final String addr;
    public final String laddr;
    public final boolean unixSocket;
    public final long createdMillis = System.currentTimeMillis();

    /** Requests decoded and not yet executed: the I/O thread stops reading when this grows too large. */
    public final AtomicInteger pending = new AtomicInteger();

    public volatile boolean authenticated;
    /** The ACL user this connection runs as; null for the master's link and the scripts' client (superuser). */
    public AclUser user;
    /** The replica's link to its master (Redis's CLIENT_MASTER): commands run with the master's privileges. */
    public boolean master;
    /** The scripts' client (Redis's CLIENT_SCRIPT): the commands a script calls run as this one. */
    public final boolean script;
    /** What this connection announced with REPLCONF before its SYNC/PSYNC (a replica of ours). */
    public int replListeningPort;
    public String replIpAddress;
    public boolean replCapaEof;
    public boolean replCapaPsync2;
    public boolean replRdbOnly;
    /** REPLCONF rdb-filter-only "": an RDB without keys or functions (redis-cli --replica). */
    public boolean replRdbNoData;
    /** Set once SYNC/PSYNC made this connection a downstream replica (flag S). */
    public ReplicaSession replicaSession;
    /** master_repl_offset right after this client's last command that was propagated (WAIT waits for it). */
    public long woff;
    public int db;
    public int resp = 2;
    public String name;
    public String lastCommand = "NULL";
    public long lastInteractionMillis = createdMillis;
    public boolean noEvict;
    /** In MONITOR mode: receives every executed command and may not touch the keyspace. */
    public boolean monitor;
    /** Redis's CLIENT_PUBSUB: set by a (P|S)SUBSCRIBE, cleared when no subscription is left. */
    public boolean pubsub;
    /** This client's subscriptions, in the order made (PubSub keeps the server's side). */
    public final Set<Bytes> pubsubChannels = new LinkedHashSet<>();
    public final Set<Bytes> pubsubPatterns = new LinkedHashSet<>();
    public final Set<Bytes> pubsubShardChannels = new LinkedHashSet<>();
    /** When the output buffer went past its class's soft limit and stayed there. */
    public final ClientOutputBufferLimit.SoftClock obufSoftLimit = new ClientOutputBufferLimit.SoftClock();
    /** Non-null between MULTI and EXEC/DISCARD. */
    public Transaction multi;
    /** Redis's CLIENT_DIRTY_CAS: a WATCHed key was touched. */
    public boolean watchDirty;
    public boolean closeAfterReply;
    public boolean closed;
    /** Wire size of the request being executed: CLIENT LIST's qbuf for the calling client. */
    public int queryBytes;
    /**
     * Bytes read from the socket and not yet parsed into requests (a request still arriving), as the I/O thread
     * last left them: the query buffer's part of used_memory.
     */
    public volatile int bufferedQueryBytes;

    /** CLIENT REPLY: OFF silences every reply; SKIP silences the reply of the next command only. */
    public enum ReplyMode { ON, OFF, SKIP_NEXT }

    public ReplyMode replyMode = ReplyMode.ON;
    /** True while the current command's replies must be dropped (REPLY OFF, or the command after SKIP). */
    public boolean replySilent;

    /** At the start of a command: a pending SKIP applies to this command (Redis's CLIENT_REPLY_SKIP). */
    public void beginReplyMode() {
        replySilent = replyMode != ReplyMode.ON;
        if (replyMode == ReplyMode.SKIP_NEXT) {
            replyMode = ReplyMode.ON;
        }
    }

    /** After the command: silence continues only under REPLY OFF. */
    public void endReplyMode() {
        replySilent = replyMode == ReplyMode.OFF;
    }

    /** Bytes of requests read (for INFO's total_net_input_bytes and CLIENT LIST's tot-net-in). */
    public long netInputBytes;
    public long netOutputBytes;
    public long commandsProcessed;

    /** Asks the connection's I/O thread to parse what it holds and read again; set by the handler. */
    public volatile Runnable resumeReading;
    /** Set by the I/O thread when it stopped reading; the command thread clears it and calls resumeReading. */
    public volatile boolean readingPaused;

    /** Replies built by the command thread since the last flush; null when there is nothing to send. */
    public ByteBuf out;

    public Client(long id, Channel channel) {
        this.script = false;
        this.id = id;
        this.channel = channel;
        this.unixSocket = channel.localAddress() instanceof DomainSocketAddress;
        this.laddr = format(channel.localAddress());
        // a unix socket peer has no address of its own: Redis shows the socket path for both
        this.addr = unixSocket ? laddr : format(channel.remoteAddress());
    }

    /** A client without a connection (the scripts' client), shown under the given name (MONITOR's "lua"). */
    public Client(long id, Channel channel, String addr) {
        this.script = true;
        this.id = id;
        this.channel = channel;
        this.unixSocket = false;
        this.laddr = addr;
        this.addr = addr;
    }

    /** Loopback or unix socket: what protected mode lets in without a password. */
    public boolean isLocal() {
        if (unixSocket) {
            return true;
        }
        return channel.remoteAddress() instanceof InetSocketAddress isa && isa.getAddress() != null
                && isa.getAddress().isLoopbackAddress();
    }

    private static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress isa) {
            String host = isa.getAddress() != null ? isa.getAddress().getHostAddress() : isa.getHostString();
            return host + ":" + isa.getPort();
        }
        if (address instanceof DomainSocketAddress dsa) {
            return dsa.path() + ":0";
        }
        return String.valueOf(address);
    }
}
