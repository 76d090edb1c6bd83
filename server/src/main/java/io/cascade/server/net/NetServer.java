package io.cascade.server.net;

import io.cascade.conf.Log;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
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
import java.util.function.Supplier;

/**
 * The listening sockets: TCP on every bind address and optionally a unix socket, with the native epoll
 * transport when available (NIO otherwise). Bound and closed from the startup/shutdown thread; its I/O
 * threads run the ClientHandlers.
 */
public final class NetServer {
    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Supplier<ClientHandler> handlers;
    private final List<Channel> listeners = new ArrayList<>();
    private Path unixSocket;

    public NetServer(int ioThreads, Supplier<ClientHandler> handlers) {
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.boss = new MultiThreadIoEventLoopGroup(1, factory);
        this.workers = new MultiThreadIoEventLoopGroup(ioThreads, factory);
        this.handlers = handlers;
    }

    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    /**
     * Binds the TCP port on each address of the bind directive. An address starting with '-' is optional: if
     * it cannot be bound (e.g. no IPv6), Redis skips it; any other failure is fatal.
     */
    public void bindTcp(List<String> bindAddresses, int port, int backlog) throws IOException {
        if (port == 0) {
            return; // port 0 means: no TCP listener, as in Redis
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
                listeners.add(bootstrap(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class, backlog)
                        .bind(new InetSocketAddress(host, port)).sync().channel());
            } catch (Exception e) {
                if (optional) {
                    Log.verbose("Skipping optional bind address %s: %s", spec, e.getMessage());
                    continue;
                }
                throw new IOException("Could not create server TCP listening socket " + host + ":" + port + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** Binds the unix socket (epoll only), replacing a stale file, and applies unixsocketperm when non-zero. */
    public void bindUnix(String path, int permissions, int backlog) throws IOException {
        if (!epoll) {
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
        boss.shutdownGracefully(0, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
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
