package dev.fabula.jdbc.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.fabula.Erasure;
import dev.fabula.ErasureRecord;
import dev.fabula.EventStoreException;
import dev.fabula.LogQuery;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.internal.Erasures;
import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentProvider;
import dev.fabula.jdbc.spi.Dialect;
import dev.fabula.spi.ErasureParticipant;
import dev.fabula.spi.ErasureScope;
import dev.fabula.spi.KeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code EventStore.erase} on a JDBC store. <b>Flow.</b> (1) Find the scope: a stream's event
 * positions, or the tenant's events naming a subject (one read of its events of the types with
 * personal fields). (2) For a subject, delete its data keys (the key store's own transaction: a
 * KMS may be elsewhere). (3) In one store transaction of the tenant: every participant erases its
 * rows (the modules' tables, through their {@link ComponentProvider#erasure}, then the participants
 * registered on the store, such as projections' read models), then the store erases the stream
 * (events, snapshot, tombstone under the keyed hash) or the subject's streams' snapshots, and the
 * erasure record is inserted. A failure rolls everything in (3) back; (2) is done for good.
 *
 * <p>The store refuses to erase while its database has tables of a component that no provider on
 * the class path lists, since it could not erase what they hold. Thread-safe.
 */
final class JdbcErasure {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcErasure.class);
  /** The component: the secret and the records. */
  static final Component COMPONENT = new Component("erasure", JdbcErasure.class, "dev/fabula/erasure", List.of("V1__erasure.sql"));
  /** The components of this jar, erased by the store itself (or holding no copies of event data). */
  private static final Set<String> OWN = Set.of("eventstore", "snapshots", "personal_data", "erasure", "row_level_security");
  private static final int MAX_RECORDS = 1000;

  private final JdbcBackend backend;
  private final StoreContext store;
  private final StreamDeleter deleter;
  private final List<ErasureParticipant> registered = new CopyOnWriteArrayList<>();
  private volatile @Nullable ComponentDb db;
  private volatile @Nullable List<ComponentProvider> providers;
  /** Each module's participant (empty: it keeps no copies), once its tables exist. */
  private final Map<String, java.util.Optional<ErasureParticipant>> participants = new java.util.concurrent.ConcurrentHashMap<>();

  JdbcErasure(JdbcBackend backend, StoreContext store, StreamDeleter deleter) {
    this.backend = backend;
    this.store = store;
    this.deleter = deleter;
  }

  /** At open: marks the tombstones' tables present, migrating them first if the store migrates on open. */
  void attach() {
    if (backend.jdbcConfig().migrateOnOpen() || installed().contains(COMPONENT.name())) {
      db = ComponentDb.open(backend, COMPONENT);
      store.tombstones().installed();
    }
  }

  /** Adds a participant (a projection's read model); returns what removes it. */
  Runnable register(ErasureParticipant participant) {
    registered.add(participant);
    return () -> registered.remove(participant);
  }

  ErasureRecord erase(@Nullable String tenant, Erasure erasure) {
    ComponentDb records = db();
    List<ErasureParticipant> modules = components();
    String action = "erasing a " + erasure.kind().name().toLowerCase(java.util.Locale.ROOT);
    Map<String, Long> counts = new LinkedHashMap<>();
    ErasureScope scope = erasure.kind() == Erasure.Kind.STREAM
        ? streamScope(tenant, erasure.target(), action)
        : subjectScope(tenant, erasure.target(), counts);
    ErasureRecord record = backend.transaction(tenant, tx -> {
      Handle h = tx.unwrap(Handle.class);
      for (ErasureParticipant p : modules) {
        counts.merge(p.name(), p.erase(scope, tx), Long::sum);
      }
      for (ErasureParticipant p : registered) {
        counts.merge(p.name(), p.erase(scope, tx), Long::sum);
      }
      byte[] secret = store.tombstones().secretOrCreate(h, store, store.now());
      store.call(action, () -> {
        if (erasure.kind() == Erasure.Kind.STREAM) {
          StreamDeleter.Erased erased = deleter.eraseStream(h, tenant, erasure.target());
          counts.put("events", erased.events());
          counts.put("snapshots", erased.snapshots());
        } else {
          counts.put("snapshots", deleteSnapshots(h, tenant, scope.streams()));
        }
        return null;
      });
      ErasureRecord r = new ErasureRecord(UUID.randomUUID(), tenant, erasure.kind(),
          Erasures.hash(secret, tenant, erasure.kind(), erasure.target()), store.now(), erasure.requestedBy(), counts);
      h.createUpdate(records.sql("insert_erasure"))
          .bind("id", r.id().toString())
          .bind("tenant_id", Dialect.tenantKey(tenant))
          .bind("kind", r.kind().name())
          .bind("target_hash", r.targetHash())
          .bind("erased_at", records.time(r.erasedAt()))
          .bind("requested_by", r.requestedBy())
          .bind("counts", ComponentDb.json(r.counts()))
          .execute();
      return r;
    }, action);
    LOG.info("Erased a {} (record {}, requested by {}): {}", erasure.kind(), record.id(), record.requestedBy(), record.counts());
    return record;
  }

  List<ErasureRecord> erasures(@Nullable String tenant, @Nullable Erasure target) {
    ComponentDb records = db();
    return records.read(tenant, "reading erasure records", h -> {
      byte[] secret = store.tombstones().secret(h, store);
      if (target != null && secret == null) {
        return List.<ErasureRecord>of();
      }
      var query = h.createQuery(records.sql(target == null ? "list_erasures" : "list_erasures_of"))
          .bind("tenant_id", Dialect.tenantKey(tenant))
          .bind("limit", MAX_RECORDS);
      if (target != null) {
        query.bind("target_hash", Erasures.hash(secret, tenant, target.kind(), target.target()));
      }
      return query.map((rs, ctx) -> new ErasureRecord(UUID.fromString(rs.getString("id")), tenant,
              Erasure.Kind.valueOf(rs.getString("kind")), rs.getString("target_hash"), records.readTime(rs, "erased_at"),
              rs.getString("requested_by"), ComponentDb.fromJson(rs.getString("counts"), new TypeReference<Map<String, Long>>() {})))
          .list();
    });
  }

  private ErasureScope streamScope(@Nullable String tenant, String streamId, String action) {
    Set<Long> positions = backend.read(tenant, action, h -> new HashSet<>(h.createQuery(store.sql().get("stream_positions"))
        .bind("tenant_id", Dialect.tenantKey(tenant))
        .bind("stream_id", streamId)
        .mapTo(Long.class)
        .list()));
    return new ErasureScope(tenant, Erasure.Kind.STREAM, streamId, Set.of(streamId), positions);
  }

  /** Finds the subject's events, then deletes its keys (counted as {@code keys}). */
  private ErasureScope subjectScope(@Nullable String tenant, String subject, Map<String, Long> counts) {
    PersonalDataPolicy policy = store.config().personalData();
    KeyStore keys = policy.keyStore();
    if (policy.isEmpty() || keys == null) {
      throw new dev.fabula.InvalidInputException("this store has no personal data, so it knows no subjects: erase streams instead");
    }
    Set<String> types = policy.declarations().keySet();
    // Events retention removed are gone (or in cold storage, sealed with the keys forgotten below):
    // the scan reads what remains, past every removal, instead of failing on them.
    ErasureScope scope = Erasures.subjectScope(
        policy, tenant, subject, backend.readAll(LogQuery.all().types(types).tenant(tenant).acceptAllRemovals()));
    counts.put("keys", keys.forget(tenant, subject) ? 1L : 0L);
    return scope;
  }

  private long deleteSnapshots(Handle h, @Nullable String tenant, Set<String> streams) {
    if (streams.isEmpty() || !deleter.hasComponent(h, "snapshots")) {
      return 0;
    }
    long n = 0;
    for (String stream : streams) {
      n += deleter.deleteSnapshot(h, Dialect.tenantKey(tenant), stream);
    }
    return n;
  }

  private ComponentDb db() {
    ComponentDb d = db;
    if (d == null) {
      d = ComponentDb.open(backend, COMPONENT);
      db = d;
      store.tombstones().installed();
    }
    return d;
  }

  /**
   * The participants of the modules whose tables the database has now (read on every erasure: a
   * module may have migrated its tables since); refuses tables of a module not on the class path.
   */
  private List<ErasureParticipant> components() {
    Set<String> installed = installed();
    List<ErasureParticipant> found = new ArrayList<>();
    Set<String> known = new HashSet<>(OWN);
    for (ComponentProvider provider : providers()) {
      Component component = provider.component();
      if (!known.add(component.name()) || !installed.contains(component.name())) {
        continue;
      }
      ErasureParticipant p = participants.computeIfAbsent(component.name(),
          name -> java.util.Optional.ofNullable(provider.erasure(ComponentDb.open(backend, component)))).orElse(null);
      if (p != null) {
        found.add(p);
      }
    }
    installed.removeAll(known);
    if (!installed.isEmpty()) {
      throw new EventStoreException("cannot erase: the database has tables of " + installed + ", whose module is not on the "
          + "class path, so what they hold could not be erased; erase from a process that has the module");
    }
    return found;
  }

  private List<ComponentProvider> providers() {
    List<ComponentProvider> p = providers;
    if (p == null) {
      List<ComponentProvider> list = new ArrayList<>();
      ServiceLoader.load(ComponentProvider.class, JdbcErasure.class.getClassLoader()).forEach(list::add);
      providers = p = List.copyOf(list);
    }
    return p;
  }

  private Set<String> installed() {
    return backend.withHandle("reading the schema versions", h -> new HashSet<>(h.createQuery(store.sql().get("schema_versions"))
        .map((rs, ctx) -> rs.getString("component"))
        .list()));
  }
}
