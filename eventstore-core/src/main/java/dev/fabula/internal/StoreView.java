package dev.fabula.internal;

import dev.fabula.spi.Appends;
import dev.fabula.spi.Backend;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.spi.KeyStore;
import dev.fabula.RecordedEvent;
import dev.fabula.Retention;
import dev.fabula.StreamArchivedException;
import dev.fabula.StreamDeletedException;
import dev.fabula.spi.RetentionStorage;
import dev.fabula.StreamAppend;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.TenantAccessException;
import dev.fabula.TransactionCallback;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The public face of a {@link Backend}: the unconfined store, or a view confined to one tenant.
 *
 * <p>Every read goes through here, so this is where stored events are decrypted ({@link
 * PersonalDataCipher}) and then upcast ({@link UpcastChain}), for every backend alike. Backends store and return events exactly as appended.
 */
public final class StoreView implements EventStore {
  private final Backend backend;
  private final @Nullable String tenant;
  private final UpcastChain upcasts;
  private final PersonalDataPolicy personal;

  /**
   * Creates the view; {@code tenant} null for the unconfined store. Builds the upcaster chain from
   * the backend's configuration (discovering upcasters if configured), once per root store.
   */
  public StoreView(Backend backend, @Nullable String tenant) {
    this(backend, tenant, UpcastChain.of(backend.config()));
  }

  private StoreView(Backend backend, @Nullable String tenant, UpcastChain upcasts) {
    this.backend = backend;
    this.tenant = tenant;
    this.upcasts = upcasts;
    this.personal = backend.config().personalData();
  }

  /** The backend behind this view. */
  public Backend backend() {
    return backend;
  }

  @Override
  public @Nullable String tenantId() {
    return tenant;
  }

  @Override
  public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
    if (events == null) {
      throw new InvalidInputException("events must not be null; pass at least one event");
    }
    return appendAll(List.of(new StreamAppend(streamId, expected, events))).get(0);
  }

  @Override
  public List<AppendResult> appendAll(List<StreamAppend> appends) {
    try {
      return backend.append(tenant, Appends.prepare(backend.config(), tenant, appends));
    } catch (StreamDeletedException e) {
      throw archivedOr(e);
    }
  }

  /** {@code e}, or a {@link StreamArchivedException} when its stream is archived rather than deleted. */
  private StreamDeletedException archivedOr(StreamDeletedException e) {
    RetentionStorage storage = backend.retentionStorage();
    if (e instanceof StreamArchivedException || storage == null || !storage.archived(tenant, e.streamId())) {
      return e;
    }
    return new StreamArchivedException(e.streamId());
  }

  @Override
  public List<RecordedEvent> readStream(String streamId, StreamRead read) {
    if (read == null) {
      throw new InvalidInputException("read must not be null; use StreamRead.forwards()");
    }
    List<RecordedEvent> stored;
    try {
      stored = backend.readStream(tenant, Validation.streamId(streamId), read);
    } catch (StreamDeletedException e) {
      throw archivedOr(e);
    }
    return decoded(stored);
  }

  /** Stored events as readers see them: decrypted, then upcast. */
  private List<RecordedEvent> decoded(List<RecordedEvent> stored) {
    return upcasts.upcastAll(personal.isEmpty() ? stored : stored.stream().map(this::opened).toList());
  }

  @Override
  public Retention retention() {
    RetentionStorage storage = backend.retentionStorage();
    if (storage == null) {
      throw new InvalidInputException("the " + backend + " backend keeps no retention records");
    }
    return new RetentionView(backend, storage, tenant, this::decoded, this::confined);
  }

  /** {@code query} confined to this view's tenant. */
  private LogQuery confined(LogQuery query) {
    if (tenant != null) {
      if (query.tenantId() != null && !query.tenantId().equals(tenant)) {
        throw new TenantAccessException(tenant, query.tenantId());
      }
      return query.tenant(tenant);
    }
    return query;
  }

  @Override
  public Stream<RecordedEvent> readAll(LogQuery query) {
    if (query == null) {
      throw new InvalidInputException("query must not be null; use LogQuery.all()");
    }
    query = confined(query);
    if (upcasts.isEmpty()) {
      return opened(backend.readAll(query));
    }
    if (query.types().isEmpty()) {
      return opened(backend.readAll(query)).flatMap(e -> upcasts.upcast(e).stream());
    }
    // The type filter applies to the upcast type. Only events of a type some upcaster reads can
    // change type, so the backend reads the wanted types plus those; the filter and the limit then
    // apply per stored event, so the parts of a split event are never cut apart by the limit.
    Set<String> wanted = query.types();
    Set<String> read = new HashSet<>(wanted);
    read.addAll(upcasts.inputTypes());
    return opened(backend.readAll(query.types(read).limit(Long.MAX_VALUE)))
        .map(e -> upcasts.upcast(e).stream().filter(u -> wanted.contains(u.type())).toList())
        .filter(parts -> !parts.isEmpty())
        .limit(query.limit())
        .flatMap(List::stream);
  }

  /** The log as readers see it: personal fields decrypted, or redacted (see PersonalDataCipher). */
  private Stream<RecordedEvent> opened(Stream<RecordedEvent> stored) {
    return personal.isEmpty() ? stored : stored.map(this::opened);
  }

  private RecordedEvent opened(RecordedEvent stored) {
    return PersonalDataCipher.open(personal, backend.config().eventTypes().mapper(), stored);
  }

  @Override
  public boolean forgetSubject(String subjectId) {
    return keys().forget(tenant, subject(subjectId));
  }

  @Override
  public void rotateSubjectKey(String subjectId) {
    keys().rotate(tenant, subject(subjectId));
  }

  private KeyStore keys() {
    KeyStore keys = personal.keyStore();
    if (personal.isEmpty() || keys == null) {
      throw new InvalidInputException("this store has no personal data: configure it with "
          + "EventStoreConfig.withPersonalData(PersonalDataPolicy.builder()…build())");
    }
    return keys;
  }

  private static String subject(@Nullable String subjectId) {
    if (subjectId == null || subjectId.isEmpty()) {
      throw new InvalidInputException("subject id must not be null or empty");
    }
    return subjectId;
  }

  @Override
  public dev.fabula.ErasureRecord erase(dev.fabula.Erasure erasure) {
    if (erasure == null) {
      throw new InvalidInputException("erasure must not be null; use Erasure.stream(id) or Erasure.subject(id)");
    }
    if (erasure.kind() == dev.fabula.Erasure.Kind.SUBJECT) {
      keys();
    }
    return backend.erase(tenant, erasure);
  }

  @Override
  public List<dev.fabula.ErasureRecord> erasures() {
    return backend.erasures(tenant, null);
  }

  @Override
  public List<dev.fabula.ErasureRecord> erasuresOf(dev.fabula.Erasure target) {
    if (target == null) {
      throw new InvalidInputException("target must not be null; use Erasure.stream(id) or Erasure.subject(id)");
    }
    return backend.erasures(tenant, target);
  }

  @Override
  public Optional<StreamInfo> streamInfo(String streamId) {
    return backend.streamInfo(tenant, Validation.streamId(streamId));
  }

  @Override
  public long headPosition() {
    return backend.headPosition(tenant);
  }

  @Override
  public void deleteStream(String streamId, ExpectedVersion expected) {
    if (expected == null) {
      throw new InvalidInputException("expected version must not be null; use ExpectedVersion.any()");
    }
    backend.deleteStream(tenant, Validation.streamId(streamId), expected);
  }

  @Override
  public void hardDeleteStream(String streamId) {
    backend.hardDeleteStream(tenant, Validation.streamId(streamId));
  }

  @Override
  public EventStore forTenant(String tenantId) {
    return new StoreView(backend, Validation.narrowTenant(tenant, tenantId), upcasts);
  }

  @Override
  public <R, X extends Exception> R inTransaction(TransactionCallback<R, X> work) throws X {
    if (work == null) {
      throw new InvalidInputException("work must not be null");
    }
    return backend.inTransaction(tenant, work);
  }

  @Override
  public EventTypes types() {
    return backend.config().eventTypes();
  }

  @Override
  public void close() {
    if (tenant == null) {
      backend.close();
    }
  }

  @Override
  public String toString() {
    return "EventStore[" + backend + (tenant == null ? "" : ", tenant=" + tenant) + "]";
  }
}
