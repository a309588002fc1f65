package dev.fabula.testkit.postgres;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension giving each test class a fresh database on the {@link PostgresServer#shared()
 * shared server}.
 *
 * <p>Use it as {@code @ExtendWith(PostgresExtension.class)} or as {@code @RegisterExtension static
 * PostgresExtension pg = new PostgresExtension();}. The database is created before the class's
 * {@code @BeforeAll} methods, kept in the class-level {@link ExtensionContext.Store}, and dropped
 * after the class's {@code @AfterAll} methods (unless {@value
 * PostgresServer#KEEP_DATABASES_PROPERTY} is {@code true}). {@code @Nested} classes share the
 * database of their enclosing class. Parameters of type {@link PostgresDatabase} in constructors,
 * lifecycle methods and test methods receive it; a registered instance also offers it through
 * {@link #database()}. Register the extension only once per class hierarchy, since two instances
 * would both offer to resolve the parameters.
 *
 * <p>Thread-safe: the database is created once per class even when classes or methods run in
 * parallel.
 */
public class PostgresExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresExtension.class);
  private static final String KEY = "database";

  private volatile @Nullable PostgresDatabase database;

  /** Creates the extension; the server is only looked up when a test class needs a database. */
  public PostgresExtension() {}

  /**
   * Creates (or finds) the database of the test class and remembers it for {@link #database()}.
   *
   * @param context the class-level context
   */
  @Override
  public void beforeAll(ExtensionContext context) {
    database = databaseFor(context);
  }

  /**
   * Remembers the database of the current test class for {@link #database()}; needed when the
   * extension is registered through a non-static field, where {@link #beforeAll} is not called.
   *
   * @param context the method-level context
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    database = databaseFor(context);
  }

  /**
   * Tells whether the parameter is a {@link PostgresDatabase}.
   *
   * @param parameterContext the parameter to resolve
   * @param extensionContext the current context
   * @return true for parameters of type {@link PostgresDatabase}
   */
  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == PostgresDatabase.class;
  }

  /**
   * Returns the database of the current test class, creating it if needed.
   *
   * @param parameterContext the parameter to resolve
   * @param extensionContext the current context
   * @return the class's database
   */
  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return databaseFor(extensionContext);
  }

  /**
   * Returns the database of the test class this instance was last called for. When one instance
   * serves several classes at once (a static field in a shared base class with parallel class
   * execution), prefer parameter injection, which is always exact.
   *
   * @return the current test class's database
   * @throws IllegalStateException if no test class has used this extension instance yet
   */
  public PostgresDatabase database() {
    PostgresDatabase current = database;
    if (current == null) {
      throw new IllegalStateException(
          "No database yet: database() is available from @BeforeAll on (static field) or from"
              + " @BeforeEach on (instance field)");
    }
    return current;
  }

  /**
   * Returns the database stored for the test class of {@code context}, creating it on first use.
   */
  private static PostgresDatabase databaseFor(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    return classContext.getStore(NAMESPACE)
        .getOrComputeIfAbsent(KEY, key -> ClassDatabase.create(), ClassDatabase.class)
        .database;
  }

  /** A database owned by one test class; dropped when the class's store is closed. */
  private static final class ClassDatabase implements AutoCloseable {

    private final PostgresServer server;
    private final PostgresDatabase database;

    private ClassDatabase(PostgresServer server, PostgresDatabase database) {
      this.server = server;
      this.database = database;
    }

    static ClassDatabase create() {
      PostgresServer server = PostgresServer.shared();
      return new ClassDatabase(server, server.createDatabase());
    }

    @Override
    public void close() {
      if (Boolean.getBoolean(PostgresServer.KEEP_DATABASES_PROPERTY)) {
        LOG.info("Keeping database {}", database.databaseName());
        return;
      }
      try {
        server.dropDatabase(database);
      } catch (RuntimeException e) {
        LOG.warn("Could not drop database {}", database.databaseName(), e);
      }
    }
  }
}
