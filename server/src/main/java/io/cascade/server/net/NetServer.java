package io.cascade.server.net;

import io.cascade.conf.Log;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The listening sockets: TCP on every bind address and optionally a unix socket, with the native epoll
 * transport when available (NIO otherwise). Bound and closed from the startup/shutdown thread; its I/O
 * threads run the ClientHandlers.
 */
public final class NetServer {
    private static final boolean EPOLL = Epoll.isAvailable();
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Supplier<ClientHandler> handlers;
    private final List<Channel> listeners = new ArrayList<>();
    private Path unixSocket;
    private volatile int keepAliveSeconds;

    public NetServer(int ioThreads, Supplier<ClientHandler> handlers) {
        IoHandlerFactory factory = ioHandlerFactory();
        this.boss = new MultiThreadIoEventLoopGroup(1, factory);
        this.workers = new MultiThreadIoEventLoopGroup(ioThreads, factory);
        this.handlers = handlers;
    }

    /** The I/O handlers of this transport (epoll or NIO), for an event loop whose channels must fit it. */
    public static IoHandlerFactory ioHandlerFactory() {
        return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /**
     * Opens an outgoing TCP connection (the replica's link to its master) on the event loop given; the handler
     * sees channelActive once connected, {@code failed} hears why a connection could not be made.
     */
    public void connect(String host, int port, EventLoopGroup loop, ChannelHandler handler,
                        Consumer<Throwable> failed) {
        Bootstrap b = new Bootstrap().group(loop)
                .channel(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .handler(handler);
        b.connect(host, port).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                failed.accept(f.cause());
            }
        });
    }

    public String transport() {
        return EPOLL ? "epoll" : "nio";
    }

    /**
     * Binds the TCP port on each address of the bind directive. An address starting with '-' is optional: if
     * it cannot be bound (e.g. no IPv6), Redis skips it; any other failure is fatal.
     */
    public void bindTcp(List<String> bindAddresses, int port, int backlog) throws IOException {
        listeners.addAll(openTcp(bindAddresses, port, backlog));
    }

    /**
     * CONFIG SET port/bind: opens the new listeners first and closes the old TCP ones only when all of them
     * are bound, so a failed change leaves the server listening where it was (as Redis's changeListener).
     */
    public void rebindTcp(List<String> bindAddresses, int port, int backlog) throws IOException {
        List<Channel> fresh = openTcp(bindAddresses, port, backlog);
        List<Channel> old = new ArrayList<>();
        for (Channel c : listeners) {
            if (c.localAddress() instanceof InetSocketAddress) {
                old.add(c);
            }
        }
        listeners.removeAll(old);
        listeners.addAll(fresh);
        for (Channel c : old) {
            c.close().awaitUninterruptibly();
        }
    }

    /** tcp-keepalive: applied to connections accepted from now on (0 turns keepalive off). */
    public void setKeepAlive(int seconds) {
        keepAliveSeconds = seconds;
    }

    private List<Channel> openTcp(List<String> bindAddresses, int port, int backlog) throws IOException {
        List<Channel> opened = new ArrayList<>();
        if (port == 0) {
            return opened; // port 0 means: no TCP listener, as in Redis
        }
        for (String spec : bindAddresses) {
            boolean optional = spec.startsWith("-");
            String host = optional ? spec.substring(1) : spec;
            if (host.equals("*")) {
                host = "0.0.0.0";
            } else if (host.equals("::*")) {
                host = "::";
            }
            try {
                opened.add(bootstrap(EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class, backlog)
                        .bind(new InetSocketAddress(host, port)).sync().channel());
            } catch (Exception e) {
                if (optional) {
                    Log.verbose("Skipping optional bind address %s: %s", spec, e.getMessage());
                    continue;
                }
                for (Channel c : opened) {
                    c.close().awaitUninterruptibly();
                }
                throw new IOException("Could not create server TCP listening socket " + host + ":" + port + ": "
                        + e.getMessage(), e);
            }
        }
        return opened;
    }

    /** Binds the unix socket (epoll only), replacing a stale file, and applies unixsocketperm when non-zero. */
    public void bindUnix(String path, int permissions, int backlog) throws IOException {
        if (!EPOLL) {
            throw new IOException("unixsocket needs the native epoll transport, which is not available here");
        }
        Path p = Path.of(path);
        Files.deleteIfExists(p);
        try {
            listeners.add(bootstrap(EpollServerDomainSocketChannel.class, backlog)
                    .bind(new DomainSocketAddress(new File(path))).sync().channel());
        } catch (Exception e) {
            throw new IOException("Failed opening Unix socket: " + e.getMessage(), e);
        }
        unixSocket = p;
        if (permissions != 0) {
            Files.setPosixFilePermissions(p, toPermissions(permissions));
        }
    }

    private ServerBootstrap bootstrap(Class<? extends ServerChannel> channelClass, int backlog) {
        return new ServerBootstrap()
                .group(boss, workers)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, backlog)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        int keepAlive = keepAliveSeconds;
                        if (keepAlive > 0 && !(ch.localAddress() instanceof DomainSocketAddress)) {
                            ch.config().setOption(ChannelOption.SO_KEEPALIVE, true);
                            if (ch instanceof EpollSocketChannel) {
                                // Redis's anetKeepAlive: first probe after the interval, then every third of it
                                ch.config().setOption(EpollChannelOption.TCP_KEEPIDLE, keepAlive);
                                ch.config().setOption(EpollChannelOption.TCP_KEEPINTVL, Math.max(1, keepAlive / 3));
                                ch.config().setOption(EpollChannelOption.TCP_KEEPCNT, 3);
                            }
                        }
                        ch.config().setOption(ChannelOption.TCP_NODELAY, true);
                        ch.pipeline().addLast(handlers.get());
                    }
                });
    }

    /** The TCP port actually bound (useful with ephemeral ports), or 0 when none. */
    public int boundPort() {
        for (Channel c : listeners) {
            if (c.localAddress() instanceof InetSocketAddress isa) {
                return isa.getPort();
            }
        }
        return 0;
    }

    public void close() {
        for (Channel c : listeners) {
            c.close().awaitUninterruptibly();
        }
        listeners.clear();
        if (unixSocket != null) {
            try {
                Files.deleteIfExists(unixSocket);
            } catch (IOException ignored) {
                // best effort, as Redis's unlink at shutdown
            }
        }
        boss.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS);
    }

    private static Set<PosixFilePermission> toPermissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }
}
