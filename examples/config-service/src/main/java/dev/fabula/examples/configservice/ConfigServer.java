package dev.fabula.examples.configservice;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fabula.CommandResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.Rejection;
import dev.fabula.examples.configservice.ConfigEvent.ValueCreated;
import dev.fabula.projections.ProjectionTimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of the config service, on the JDK's {@link HttpServer}; JSON in and out.
 *
 * <pre>
 * PUT    /config/{name}          {"value": any JSON but null}   201 created, 200 updated or unchanged
 *        If-Match: "3"           only if the value is at version 3 (412 otherwise)
 *        If-None-Match: *        only if there is no current value: how a deleted name is created again
 *        X-Actor: alice          recorded as who made the change
 * GET    /config                 every current value, sorted by name
 * GET    /config/{name}          the current value (404 if none); ETag: "version"
 * GET    /config/{name}?at=T     the value as of ISO-8601 instant T (404 if it had none then)
 * GET    /config/{name}/history  every change: version, time, old and new value, actor (404 if never set)
 * DELETE /config/{name}          200; 404 if there is no current value (never set or already deleted)
 * </pre>
 *
 * <p>Errors are {@code {"error": code, "message": what to do}}: 400 for a bad name, body, header or
 * instant; 404 for a missing value; 409 {@code value-deleted} for a PUT on a deleted name without
 * {@code If-None-Match: *}; 412 when a precondition fails; 503 when the write could not get through
 * concurrent writers or the read model lags.
 *
 * <p>Requests run on a pool of {@value #THREADS} threads; {@link #close()} stops the server, the
 * pool and the service.
 */
public final class ConfigServer implements AutoCloseable {

  /** Worker threads of the HTTP server. */
  public static final int THREADS = 16;
  /** The largest request body accepted. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(ConfigServer.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final String NAME_RULE =
      "use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit";

  static {
    // The JDK server writes the headers and the body of a response in two packets; with Nagle's
    // algorithm on, the body waits for the client's delayed ACK of the headers: 40 ms per request
    // on Linux. The server reads this property once, when the first server starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final ConfigService service;
  private final ObjectMapper json;
  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ConfigServer(ConfigService service, int port) throws IOException {
    this.service = service;
    this.json = service.store().types().mapper();
    this.server = HttpServer.create(new InetSocketAddress(port), 0);
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "config-http-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
    server.start();
  }

  /**
   * Opens the service (store, read model rebuild, audit worker) and starts the HTTP server.
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static ConfigServer start(Settings settings) {
    ConfigService service = ConfigService.open(settings);
    try {
      ConfigServer server = new ConfigServer(service, settings.port());
      LOG.info("Config service listening on port {} (read model rebuilt from {} events in {} ms)", server.port(),
          service.readModel().rebuiltEvents(), service.readModel().rebuildTime().toMillis());
      return server;
    } catch (IOException e) {
      service.close();
      throw new UncheckedIOException("could not listen on port " + settings.port() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URI, such as {@code http://localhost:8080}. */
  public URI uri() {
    return URI.create("http://localhost:" + port());
  }

  /** The service behind the API. */
  public ConfigService service() {
    return service;
  }

  /** Stops accepting requests, stops the worker threads and closes the service. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      service.close();
    }
  }

  // ---- routing

  private void dispatch(HttpExchange exchange) throws IOException {
    try (exchange) {
      Response response;
      try {
        response = route(exchange);
      } catch (ApiError e) {
        response = error(e.status, e.code, e.getMessage());
      } catch (ConcurrencyException e) {
        response = error(503, "busy", "too many concurrent writers on this name; retry: " + e.getMessage());
      } catch (ProjectionTimeoutException e) {
        response = error(503, "read-model-behind",
            "the change was stored, but the read model has not shown it yet; read it again shortly");
      } catch (RuntimeException e) {
        LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        response = error(500, "internal-error", "the server failed: " + e);
      }
      send(exchange, response);
    }
  }

  private Response route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String method = exchange.getRequestMethod();
    if (path.equals("/config") || path.equals("/config/")) {
      requireMethod(method, "GET");
      return listAll();
    }
    if (!path.startsWith("/config/")) {
      throw new ApiError(404, "no-such-route", "no route " + path + "; the API lives under /config");
    }
    String rest = path.substring("/config/".length());
    if (rest.endsWith("/history") && rest.indexOf('/') == rest.length() - "/history".length()) {
      requireMethod(method, "GET");
      return history(name(rest.substring(0, rest.indexOf('/'))));
    }
    if (rest.contains("/")) {
      throw new ApiError(404, "no-such-route",
          "no route " + path + "; use /config/{name} or /config/{name}/history (" + NAME_RULE + ")");
    }
    String name = name(rest);
    switch (method) {
      case "GET":
        Optional<String> at = queryParameter(exchange, "at");
        return at.isPresent() ? getAt(name, at.get()) : get(name);
      case "PUT":
        return put(exchange, name);
      case "DELETE":
        return delete(exchange, name);
      default:
        throw new ApiError(405, "method-not-allowed", method + " is not supported on /config/{name}; use GET, PUT or DELETE");
    }
  }

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw new ApiError(405, "method-not-allowed", method + " is not supported here; use " + allowed);
    }
  }

  private static String name(String raw) {
    String name = URLDecoder.decode(raw, StandardCharsets.UTF_8);
    if (!NAME.matcher(name).matches()) {
      throw new ApiError(400, "invalid-name", "config name '" + name + "' is invalid: " + NAME_RULE);
    }
    return name;
  }

  // ---- reads

  private Response listAll() {
    ArrayNode list = json.createArrayNode();
    for (ConfigReadModel.Entry entry : service.all()) {
      list.add(entryJson(entry));
    }
    return new Response(200, list, null);
  }

  private Response get(String name) {
    ConfigReadModel.Entry entry = service.get(name).orElseThrow(() -> new ApiError(404, "not-found",
        "config '" + name + "' has no value; create it with PUT /config/" + name + " {\"value\": ...}"));
    return new Response(200, entryJson(entry), entry.version());
  }

  private Response getAt(String name, String atText) {
    Instant at;
    try {
      at = Instant.parse(atText);
    } catch (DateTimeParseException e) {
      throw new ApiError(400, "invalid-instant", "'at' must be an ISO-8601 instant such as "
          + "2024-05-01T12:00:00Z, not '" + atText + "'");
    }
    ConfigState state = service.at(name, at);
    if (state.status() != ConfigState.Status.SET) {
      throw new ApiError(404, "not-found-at", "config '" + name + "' had no value at " + at
          + (state.status() == ConfigState.Status.DELETED ? " (it was deleted at version " + state.version() + ")" : ""));
    }
    ObjectNode body = json.createObjectNode().put("name", name);
    body.set("value", state.value());
    body.put("version", state.version()).put("at", at.toString());
    return new Response(200, body, null);
  }

  private Response history(String name) {
    List<ConfigService.Change> changes = service.history(name);
    if (changes.isEmpty()) {
      throw new ApiError(404, "not-found", "config '" + name + "' was never set, so it has no history");
    }
    ArrayNode list = json.createArrayNode();
    for (ConfigService.Change c : changes) {
      ObjectNode item = list.addObject().put("version", c.version()).put("at", c.at().toString()).put("change", c.change());
      item.set("oldValue", c.oldValue());
      item.set("newValue", c.newValue());
      item.put("actor", c.actor());
    }
    return new Response(200, list, null);
  }

  private ObjectNode entryJson(ConfigReadModel.Entry entry) {
    ObjectNode node = json.createObjectNode().put("name", entry.name());
    node.set("value", entry.value());
    return node.put("version", entry.version())
        .put("updatedAt", entry.updatedAt().toString())
        .put("updatedBy", entry.updatedBy());
  }

  // ---- writes

  private Response put(HttpExchange exchange, String name) throws IOException {
    JsonNode value = readValue(exchange);
    Precondition precondition = precondition(exchange, true);
    CommandResult<ConfigEvent> result = service.set(name, value, precondition, actor(exchange));
    if (!result.accepted()) {
      throw rejected(result.rejection().orElseThrow());
    }
    boolean created = result.events().stream().anyMatch(e -> e instanceof ValueCreated);
    ObjectNode body = json.createObjectNode().put("name", name);
    body.set("value", value);
    body.put("version", result.version())
        .put("change", created ? "created" : result.events().isEmpty() ? "unchanged" : "updated");
    return new Response(created ? 201 : 200, body, result.version());
  }

  private Response delete(HttpExchange exchange, String name) {
    Precondition precondition = precondition(exchange, false);
    CommandResult<ConfigEvent> result = service.delete(name, precondition, actor(exchange));
    if (!result.accepted()) {
      throw rejected(result.rejection().orElseThrow());
    }
    ConfigEvent.ValueDeleted deleted = (ConfigEvent.ValueDeleted) result.events().get(0);
    ObjectNode body = json.createObjectNode().put("name", name).put("version", result.version()).put("deleted", true);
    body.set("oldValue", deleted.oldValue());
    return new Response(200, body, null);
  }

  private static ApiError rejected(Rejection rejection) {
    int status = switch (rejection.code()) {
      case ConfigAggregate.VALUE_NOT_FOUND -> 404;
      case ConfigAggregate.VALUE_DELETED -> 409;
      case ConfigAggregate.VERSION_MISMATCH, ConfigAggregate.VALUE_EXISTS -> 412;
      default -> 422;
    };
    return new ApiError(status, rejection.code(), rejection.message());
  }

  private JsonNode readValue(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw new ApiError(413, "body-too-large", "the body is larger than " + MAX_BODY_BYTES
          + " bytes; keep large documents elsewhere and store a reference");
    }
    String usage = "send a JSON object such as {\"value\": \"jdbc:postgresql://db/app\"}; the value may be any JSON but null";
    JsonNode body;
    try {
      body = bytes.length == 0 ? null : json.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new ApiError(400, "invalid-body", "the body is not valid JSON (" + e.getOriginalMessage() + "); " + usage);
    }
    if (body == null || !body.isObject()) {
      throw new ApiError(400, "invalid-body", "the body is " + (body == null ? "empty" : "not a JSON object") + "; " + usage);
    }
    for (Iterator<String> fields = body.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!field.equals("value")) {
        throw new ApiError(400, "invalid-body", "unknown field '" + field + "'; " + usage);
      }
    }
    JsonNode value = body.get("value");
    if (value == null || value.isNull()) {
      throw new ApiError(400, "invalid-body", "the field 'value' is " + (value == null ? "missing" : "null")
          + "; " + usage + " (to remove a value, DELETE it)");
    }
    return value;
  }

  private static Precondition precondition(HttpExchange exchange, boolean put) {
    String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
    String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
    if (ifMatch != null && ifNoneMatch != null) {
      throw new ApiError(400, "invalid-precondition", "send If-Match or If-None-Match, not both");
    }
    if (ifNoneMatch != null) {
      if (!put || !ifNoneMatch.trim().equals("*")) {
        throw new ApiError(400, "invalid-precondition", put
            ? "If-None-Match supports only '*' (create, or create again after a delete), not '" + ifNoneMatch + "'"
            : "If-None-Match is not supported on DELETE; use If-Match: \"<version>\"");
      }
      return Precondition.ABSENT;
    }
    if (ifMatch != null) {
      String version = ifMatch.trim();
      if (version.startsWith("W/")) {
        version = version.substring(2);
      }
      if (version.length() >= 2 && version.startsWith("\"") && version.endsWith("\"")) {
        version = version.substring(1, version.length() - 1);
      }
      try {
        long v = Long.parseLong(version);
        if (v >= 0) {
          return Precondition.atVersion(v);
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
      throw new ApiError(400, "invalid-precondition", "If-Match must be a version from an ETag or a 'version' "
          + "field, such as \"3\", not '" + ifMatch + "'");
    }
    return Precondition.NONE;
  }

  private static @Nullable String actor(HttpExchange exchange) {
    String actor = exchange.getRequestHeaders().getFirst("X-Actor");
    if (actor == null || actor.isBlank()) {
      return null;
    }
    if (actor.length() > 200) {
      throw new ApiError(400, "invalid-actor", "X-Actor must be at most 200 characters");
    }
    return actor.trim();
  }

  private static Optional<String> queryParameter(HttpExchange exchange, String name) {
    String query = exchange.getRequestURI().getRawQuery();
    Optional<String> found = Optional.empty();
    if (query == null) {
      return found;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (!key.equals(name)) {
        throw new ApiError(400, "invalid-query",
            "unknown query parameter '" + key + "'; only 'at' (an ISO-8601 instant) is supported");
      }
      found = Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return found;
  }

  // ---- responses

  private record Response(int status, JsonNode body, @Nullable Long etag) {}

  private Response error(int status, String code, String message) {
    return new Response(status, json.createObjectNode().put("error", code).put("message", message), null);
  }

  private void send(HttpExchange exchange, Response response) throws IOException {
    byte[] bytes = json.writeValueAsBytes(response.body());
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    if (response.etag() != null) {
      exchange.getResponseHeaders().set("ETag", "\"" + response.etag() + "\"");
    }
    exchange.sendResponseHeaders(response.status(), bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** A request the API refuses, with its HTTP status and error code. */
  private static final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    ApiError(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }
}
