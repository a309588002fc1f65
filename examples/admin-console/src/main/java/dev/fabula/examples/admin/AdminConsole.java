package dev.fabula.examples.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fabula.console.Console;
import dev.fabula.console.ConsoleAuthenticator;
import dev.fabula.console.ConsoleConfig;
import dev.fabula.console.ConsoleServer;
import dev.fabula.console.ConsoleUser;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.metrics.MetricsConfig;
import dev.fabula.metrics.ProjectionMetrics;
import dev.fabula.metrics.SchedulerMetrics;
import dev.fabula.metrics.StoreMetrics;
import dev.fabula.projections.Projections;
import dev.fabula.scheduler.JobQueue;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * The operator's side of the app, on one port of the loopback interface: the admin console
 * (fabula-console) at {@code /console/}, signed in with a fresh random token; one console per
 * tenant at {@code /tenant/<id>/}, which shows only that tenant's data; and the meters
 * (fabula-metrics: the store's, the projections', the job queue's) in Prometheus's text format at
 * {@code /metrics}. The meters count from {@link #start} on: start it before the work it should
 * count. {@link #close} stops serving and removes the meters. Every example app serves it with
 * {@code -Dconsole=<port>}; apps without a job queue pass none (and need no fabula-scheduler).
 */
public final class AdminConsole implements AutoCloseable {
  /** Gauges read the projections' and jobs' state at most once a second (the default is 5 s). */
  private static final MetricsConfig METRICS = MetricsConfig.DEFAULT.withPollInterval(Duration.ofSeconds(1));

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusMeterRegistry registry;
  private final List<Runnable> unbind;
  private final List<String> tenants;
  private final String token;

  private AdminConsole(
      HttpServer server, ExecutorService executor, PrometheusMeterRegistry registry, List<Runnable> unbind,
      List<String> tenants, String token) {
    this.server = server;
    this.executor = executor;
    this.registry = registry;
    this.unbind = unbind;
    this.tenants = tenants;
    this.token = token;
  }

  /**
   * Serves the console over {@code store}, {@code projections} and their meters on {@code port} (0:
   * any free port), one console per tenant of {@code tenants} beside it; the meters count from now on.
   */
  public static AdminConsole start(JdbcEventStore store, Projections projections, List<String> tenants, int port) {
    return serve(store, projections, null, tenants, port);
  }

  /** As {@link #start}, with the job queue's pages and meters too (needs fabula-scheduler). */
  public static AdminConsole startWithJobs(
      JdbcEventStore store, Projections projections, JobQueue queue, List<String> tenants, int port) {
    return serve(store, projections, queue, tenants, port);
  }

  private static AdminConsole serve(
      JdbcEventStore store, Projections projections, @Nullable JobQueue queue, List<String> tenants, int port) {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String token = HexFormat.of().formatHex(random);
    List<Console> consoles = new ArrayList<>();
    consoles.add(console(store, projections, queue, ConsoleConfig.DEFAULT, ConsoleUser.operator("operator"), token));
    for (String tenant : tenants) {
      consoles.add(console(store, projections, queue, ConsoleConfig.DEFAULT.withBasePath("/tenant/" + tenant).withTenant(tenant),
          ConsoleUser.reader(tenant), token));
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the admin console on port " + port + ": " + e.getMessage()
          + "; choose another one with -Dconsole=<port>", e);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    StoreMetrics storeMetrics = StoreMetrics.of(store, METRICS);
    ProjectionMetrics projectionMetrics = ProjectionMetrics.of(projections, METRICS);
    storeMetrics.bindTo(registry);
    projectionMetrics.bindTo(registry);
    List<Runnable> unbind = new ArrayList<>(List.of(storeMetrics::close, projectionMetrics::close));
    if (queue != null) {
      SchedulerMetrics schedulerMetrics = SchedulerMetrics.of(queue, METRICS);
      schedulerMetrics.bindTo(registry);
      unbind.add(schedulerMetrics::close);
    }
    consoles.forEach(c -> server.createContext(c.config().basePath(), ConsoleServer.httpHandler(c)));
    server.createContext("/metrics", exchange -> scrape(exchange, registry));
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "admin-console-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.start();
    return new AdminConsole(server, executor, registry, unbind, List.copyOf(tenants), token);
  }

  private static Console console(
      JdbcEventStore store, Projections projections, @Nullable JobQueue queue, ConsoleConfig config, ConsoleUser user,
      String token) {
    Console.Builder builder = Console.builder(store).config(config).projections(projections);
    if (queue != null) {
      builder = builder.jobs(queue);
    }
    return builder.authenticator(ConsoleAuthenticator.token(token, user)).open();
  }

  private static void scrape(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
    try (exchange) {
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Where the console's first page is, such as {@code http://127.0.0.1:8081/console/}. */
  public URI consoleUri() {
    return base().resolve("console/");
  }

  /** Where the console that shows only {@code tenant}'s data is. */
  public URI tenantUri(String tenant) {
    return base().resolve("tenant/" + tenant + "/");
  }

  /** Where the meters are, in Prometheus's text format. */
  public URI metricsUri() {
    return base().resolve("metrics");
  }

  /** The token to sign in with (or to send as {@code Authorization: Bearer <token>}). */
  public String token() {
    return token;
  }

  private URI base() {
    return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + "/");
  }

  /** Prints where to open the console and the meters, and the token to sign in with. */
  public void printWhere(PrintStream out) {
    out.println("Admin console: " + consoleUri() + " (sign in with the token " + token + ")");
    if (!tenants.isEmpty()) {
      out.println("  as one tenant sees it: " + String.join(", ", tenants.stream().map(t -> tenantUri(t).toString()).toList())
          + " (same token)");
    }
    out.println("Metrics (Prometheus text format): " + metricsUri());
  }

  /** Stops serving and removes the meters. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    unbind.forEach(Runnable::run);
    registry.close();
  }
}
