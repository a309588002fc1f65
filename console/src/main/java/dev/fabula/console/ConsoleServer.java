package dev.fabula.console;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.fabula.console.internal.ExchangeHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The console served on a port of its own by the JDK's {@link HttpServer}, for applications
 * without an HTTP server (or that keep the console off their public one).
 *
 * <pre>{@code
 * try (ConsoleServer server = ConsoleServer.start(console, 8081)) {
 *   log.info("console at {}", server.uri());
 * }
 * }</pre>
 *
 * <p>{@link #start(Console, int)} listens on the loopback interface only; bind another address on
 * purpose with {@link #start(Console, InetSocketAddress)}, behind HTTPS. Two worker threads answer
 * requests; {@link #close()} stops them and is harmless to call twice.
 */
public final class ConsoleServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final URI uri;

  private ConsoleServer(HttpServer server, ExecutorService executor, URI uri) {
    this.server = server;
    this.executor = executor;
    this.uri = uri;
  }

  /** Serves {@code console} on {@code port} of the loopback interface (0: any free port). */
  public static ConsoleServer start(Console console, int port) {
    return start(console, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  /**
   * Serves {@code console} on {@code address}.
   *
   * @throws ConsoleException if the address cannot be bound (in use, no permission)
   */
  public static ConsoleServer start(Console console, InetSocketAddress address) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 50);
    } catch (IOException e) {
      throw new ConsoleException("cannot serve the console on " + address + ": " + e.getMessage()
          + "; choose another port", e);
    }
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "fabula-console-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", httpHandler(console));
    server.start();
    InetSocketAddress bound = server.getAddress();
    String host = bound.getAddress().isAnyLocalAddress() ? "localhost" : bound.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    URI uri = URI.create("http://" + host + ":" + bound.getPort() + console.config().basePath() + "/");
    return new ConsoleServer(server, executor, uri);
  }

  /**
   * A handler for your own {@link HttpServer}: mount it with {@code
   * server.createContext(console.config().basePath(), ConsoleServer.httpHandler(console))}.
   */
  public static HttpHandler httpHandler(Console console) {
    return new ExchangeHandler(console);
  }

  /** Where the console's first page is, such as {@code http://127.0.0.1:8081/console/}. */
  public URI uri() {
    return uri;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops listening and waits up to a second for requests in flight. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
