package dev.fabula.projections;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy that can make its current connections die silently: they stay open, but nothing
 * passes any more in either direction (a network partition, a NAT that forgot the flow). New
 * connections pass normally.
 */
final class BlackholeProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String host;
  private final int port;
  private final List<Link> links = new CopyOnWriteArrayList<>();

  /** One proxied connection. */
  private static final class Link {
    final Socket client;
    final Socket upstream;
    volatile boolean dead;

    Link(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }
  }

  BlackholeProxy(String host, int port) throws IOException {
    this.host = host;
    this.port = port;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "blackhole-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Silences every connection open now. */
  void blackholeAll() {
    links.forEach(l -> l.dead = true);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Link link = new Link(client, new Socket(host, port));
        links.add(link);
        pump(link, link.client, link.upstream);
        pump(link, link.upstream, link.client);
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void pump(Link link, Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          if (!link.dead) {
            out.write(buffer, 0, n);
            out.flush();
          }
        }
      } catch (IOException e) {
        // the other side closed
      }
    }, "blackhole-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Link l : links) {
      l.client.close();
      l.upstream.close();
    }
  }
}
