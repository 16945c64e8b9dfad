package dev.eventhub.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a free loopback port in front of a server of the test's own (a redis-server), so a
 * test can do to the hub's connections what a network does: {@link #partition()} black-holes every
 * connection (bytes are taken and dropped, nothing answers, no FIN: a cloud NAT or load balancer
 * that dropped the flows), {@link #heal()} lets new connections through again while the
 * black-holed ones stay dead (as a NAT that forgot them), and {@link #retarget} sends new
 * connections to another server and closes the old ones (a failover behind one address).
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile int targetPort;
    private volatile boolean partitioned;

    private TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to {@code 127.0.0.1:targetPort}. */
    public static TcpProxy to(int targetPort) {
        try {
            return new TcpProxy(targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "redis://127.0.0.1:" + port();
    }

    /** Every open connection and every new one goes silent for good: no byte through, no FIN. */
    public void partition() {
        partitioned = true;
        links.forEach(link -> link.blackHoled = true);
    }

    /** New connections are forwarded again; those black-holed stay silent until their owner closes them. */
    public void heal() {
        partitioned = false;
    }

    /** New connections go to {@code port}; the open ones are closed (with FIN), as when a server goes away. */
    public void retarget(int port) {
        targetPort = port;
        links.forEach(Link::close);
    }

    /** Connections accepted and still open (for waits on a client reconnecting). */
    public int openConnections() {
        return (int) links.stream().filter(l -> !l.closed).count();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        links.forEach(Link::close);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Link link = new Link(client);
                links.add(link);
                link.start(partitioned ? null : connectUpstream());
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private Socket connectUpstream() {
        try {
            return new Socket(InetAddress.getLoopbackAddress(), targetPort);
        } catch (IOException e) {
            return null; // the server is down: the client's connection is black-holed
        }
    }

    /** One client connection and its upstream; a pump thread per direction. */
    private final class Link {
        private final Socket client;
        private volatile Socket upstream;
        volatile boolean blackHoled;
        volatile boolean closed;

        Link(Socket client) {
            this.client = client;
        }

        void start(Socket upstream) throws IOException {
            this.upstream = upstream;
            if (upstream == null) {
                blackHoled = true;
                pump(client.getInputStream(), null, true);
                return;
            }
            pump(client.getInputStream(), upstream.getOutputStream(), true);
            pump(upstream.getInputStream(), client.getOutputStream(), false);
        }

        /** The client closing ends the link; while black-holed, nothing from upstream reaches the client. */
        private void pump(InputStream in, OutputStream out, boolean fromClient) {
            Thread thread = new Thread(
                    () -> {
                        byte[] buffer = new byte[16 * 1024];
                        try {
                            int n;
                            while ((n = in.read(buffer)) >= 0) {
                                if (!blackHoled && out != null) {
                                    out.write(buffer, 0, n);
                                    out.flush();
                                }
                            }
                        } catch (IOException ignored) {
                            // a side closed
                        }
                        if (fromClient || !blackHoled) {
                            close();
                        }
                    },
                    "tcp-proxy-pump");
            thread.setDaemon(true);
            thread.start();
        }

        void close() {
            closed = true;
            links.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }

        private void closeQuietly(Socket socket) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }
    }
}
