package dev.fabula.jdbc.internal;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreException;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.Transaction;
import dev.fabula.TransactionCallback;
import dev.fabula.internal.Validation;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.TenantDatabases;
import dev.fabula.jdbc.TenantDirectory;
import dev.fabula.jdbc.TenantPlacement;
import dev.fabula.jdbc.TenantRoutingConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TenantDatabases}: the unconfined store (the home database's, for streams of no tenant)
 * and the placement cache that the tenant views ({@link RoutedTenant}) route by.
 *
 * <p>A placement read from the directory is trusted for {@code placementCacheTime}; a write that
 * meets a tenant fence drops it at once ({@link #refresh}), since the fence means the tenant moves
 * or moved.
 */
public final class TenantRouter implements TenantDatabases {
  private static final Logger LOG = LoggerFactory.getLogger(TenantRouter.class);

  private final Map<String, JdbcEventStore> databases;
  private final String home;
  private final TenantDirectory directory;
  private final TenantRoutingConfig routing;
  private final Map<String, Cached> placements = new ConcurrentHashMap<>();

  private record Cached(TenantPlacement placement, long readAtNanos) {}

  private TenantRouter(Map<String, JdbcEventStore> databases, String home, TenantDirectory directory, TenantRoutingConfig routing) {
    this.databases = databases;
    this.home = home;
    this.directory = directory;
    this.routing = routing;
  }

  /** See {@link TenantDatabases#open}. */
  public static TenantDatabases open(
      Map<String, JdbcEventStore> databases, String home, TenantDirectory directory, TenantRoutingConfig routing) {
    if (databases == null || databases.isEmpty()) {
      throw new InvalidInputException("databases must name at least one store, such as Map.of(\"main\", store)");
    }
    if (home == null || !databases.containsKey(home)) {
      throw new InvalidInputException("home '" + home + "' is not one of the databases " + databases.keySet());
    }
    if (directory == null || routing == null) {
      throw new InvalidInputException("directory and routing must not be null; use TenantDirectory.inTable(home) "
          + "and TenantRoutingConfig.DEFAULT");
    }
    LOG.info("Tenant routing over databases {} (home {}), placements cached {} ms, fence wait {} ms",
        databases.keySet(), home, routing.placementCacheTime().toMillis(), routing.fenceWait().toMillis());
    return new TenantRouter(Collections.unmodifiableMap(new LinkedHashMap<>(databases)), home, directory, routing);
  }

  TenantRoutingConfig routing() {
    return routing;
  }

  /** The tenant's placement: cached, else read (placing a new tenant in the home database). */
  TenantPlacement placement(String tenantId) {
    Cached cached = placements.get(tenantId);
    long now = System.nanoTime();
    if (cached != null && now - cached.readAtNanos() < routing.placementCacheTime().toNanos()) {
      return cached.placement();
    }
    TenantPlacement fresh = directory.find(tenantId).orElseGet(() -> directory.place(tenantId, home));
    placements.put(tenantId, new Cached(fresh, now));
    return fresh;
  }

  /** The store of the tenant's database now. */
  JdbcEventStore storeOf(TenantPlacement placement) {
    JdbcEventStore store = databases.get(placement.database());
    if (store == null) {
      throw new EventStoreException("the tenant directory places tenant '" + placement.tenantId() + "' in database '"
          + placement.database() + "', which this store was not opened with " + databases.keySet()
          + "; open TenantDatabases with every database the directory names");
    }
    return store;
  }

  @Override
  public Map<String, JdbcEventStore> databases() {
    return databases;
  }

  @Override
  public JdbcEventStore database(String name) {
    JdbcEventStore store = databases.get(name);
    if (store == null) {
      throw new InvalidInputException("no database named '" + name + "'; the databases are " + databases.keySet());
    }
    return store;
  }

  @Override
  public String home() {
    return home;
  }

  @Override
  public String databaseOf(String tenantId) {
    return placement(Validation.tenantId(tenantId)).database();
  }

  @Override
  public String place(String tenantId, String database) {
    database(database);
    TenantPlacement placed = directory.place(Validation.tenantId(tenantId), database);
    placements.put(tenantId, new Cached(placed, System.nanoTime()));
    return placed.database();
  }

  @Override
  public TenantDirectory directory() {
    return directory;
  }

  @Override
  public void refresh(String tenantId) {
    placements.remove(tenantId);
  }

  // The unconfined store: the home database's, for the streams of no tenant.

  private JdbcEventStore homeStore() {
    return databases.get(home);
  }

  @Override
  public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
    return homeStore().append(streamId, expected, events);
  }

  @Override
  public List<AppendResult> appendAll(List<StreamAppend> appends) {
    return homeStore().appendAll(appends);
  }

  @Override
  public List<RecordedEvent> readStream(String streamId, StreamRead read) {
    return homeStore().readStream(streamId, read);
  }

  @Override
  public Stream<RecordedEvent> readAll(LogQuery query) {
    if (query != null && query.tenantId() != null) {
      return forTenant(query.tenantId()).readAll(query);
    }
    throw new InvalidInputException("a store spread over several databases has no single global log: read one "
        + "database's log (database(name).readAll) or one tenant's (forTenant(t).readAll)");
  }

  @Override
  public Optional<StreamInfo> streamInfo(String streamId) {
    return homeStore().streamInfo(streamId);
  }

  @Override
  public long headPosition() {
    throw new InvalidInputException("a store spread over several databases has no single head position: ask one "
        + "database (database(name).headPosition()) or one tenant (forTenant(t).headPosition())");
  }

  @Override
  public void deleteStream(String streamId, ExpectedVersion expected) {
    homeStore().deleteStream(streamId, expected);
  }

  @Override
  public void hardDeleteStream(String streamId) {
    homeStore().hardDeleteStream(streamId);
  }

  @Override
  public boolean forgetSubject(String subjectId) {
    return homeStore().forgetSubject(subjectId);
  }

  @Override
  public void rotateSubjectKey(String subjectId) {
    homeStore().rotateSubjectKey(subjectId);
  }

  @Override
  public EventStore forTenant(String tenantId) {
    return new RoutedTenant(this, Validation.tenantId(tenantId));
  }

  @Override
  public @Nullable String tenantId() {
    return null;
  }

  @Override
  public <R, X extends Exception> R inTransaction(TransactionCallback<R, X> work) throws X {
    if (work == null) {
      throw new InvalidInputException("work must not be null");
    }
    return homeStore().inTransaction(tx -> work.inTransaction(new HomeTransaction(tx)));
  }

  @Override
  public EventTypes types() {
    return homeStore().types();
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (JdbcEventStore store : databases.values()) {
      try {
        store.close();
      } catch (RuntimeException e) {
        LOG.error("Closing a tenant database's store failed", e);
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** A unit of work of the home database: it may widen only to tenants that live there. */
  private final class HomeTransaction implements Transaction {
    private final Transaction tx;

    HomeTransaction(Transaction tx) {
      this.tx = tx;
    }

    @Override
    public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
      return tx.append(streamId, expected, events);
    }

    @Override
    public List<AppendResult> appendAll(List<StreamAppend> appends) {
      return tx.appendAll(appends);
    }

    @Override
    public Transaction forTenant(String tenantId) {
      // Read only: a new tenant (no entry yet) lives in the home database, and placing it here
      // would write beside this transaction (SQLite has one writer).
      String database = directory.find(Validation.tenantId(tenantId)).map(TenantPlacement::database).orElse(home);
      if (!database.equals(home)) {
        throw new InvalidInputException("tenant '" + tenantId + "' lives in database '" + database + "', not in the home"
            + " database where this unit of work runs: write for it through forTenant(\"" + tenantId + "\").inTransaction");
      }
      return tx.forTenant(tenantId);
    }

    @Override
    public @Nullable String tenantId() {
      return tx.tenantId();
    }

    @Override
    public <T> T unwrap(Class<T> type) {
      return tx.unwrap(type);
    }
  }
}
