package dev.fabula.jdbc.internal;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.TransactionCallback;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.spi.Backend;
import dev.fabula.spi.StoreObserver;
import dev.fabula.InvalidInputException;
import javax.sql.DataSource;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/** The root JDBC store a user holds: the public view of the backend (validation, tenants) plus the JDBC extras. */
final class StoreRoot implements JdbcEventStore {
  private final JdbcBackend backend;
  private final EventStore view;

  StoreRoot(JdbcBackend backend) {
    this.backend = backend;
    this.view = Backend.toEventStore(backend);
  }

  JdbcBackend backend() {
    return backend;
  }

  @Override
  public AppendResult append(String streamId, ExpectedVersion expected, List<EventData> events) {
    return view.append(streamId, expected, events);
  }

  @Override
  public List<AppendResult> appendAll(List<StreamAppend> appends) {
    return view.appendAll(appends);
  }

  @Override
  public List<RecordedEvent> readStream(String streamId, StreamRead read) {
    return view.readStream(streamId, read);
  }

  @Override
  public Stream<RecordedEvent> readAll(LogQuery query) {
    return view.readAll(query);
  }

  @Override
  public Optional<StreamInfo> streamInfo(String streamId) {
    return view.streamInfo(streamId);
  }

  @Override
  public long headPosition() {
    return view.headPosition();
  }

  @Override
  public @Nullable String tenantId() {
    return null;
  }

  @Override
  public void deleteStream(String streamId, ExpectedVersion expected) {
    view.deleteStream(streamId, expected);
  }

  @Override
  public boolean forgetSubject(String subjectId) {
    return view.forgetSubject(subjectId);
  }

  @Override
  public void rotateSubjectKey(String subjectId) {
    view.rotateSubjectKey(subjectId);
  }

  @Override
  public dev.fabula.ErasureRecord erase(dev.fabula.Erasure erasure) {
    return view.erase(erasure);
  }

  @Override
  public List<dev.fabula.ErasureRecord> erasures() {
    return view.erasures();
  }

  @Override
  public List<dev.fabula.ErasureRecord> erasuresOf(dev.fabula.Erasure target) {
    return view.erasuresOf(target);
  }

  @Override
  public Registration onErase(dev.fabula.spi.ErasureParticipant participant) {
    if (participant == null) {
      throw new InvalidInputException("participant must not be null");
    }
    Runnable remove = backend.onErase(participant);
    return remove::run;
  }

  @Override
  public void hardDeleteStream(String streamId) {
    view.hardDeleteStream(streamId);
  }

  @Override
  public dev.fabula.Retention retention() {
    return view.retention();
  }

  @Override
  public EventStore forTenant(String tenantId) {
    return view.forTenant(tenantId);
  }

  @Override
  public <R, X extends Exception> R inTransaction(TransactionCallback<R, X> work) throws X {
    return view.inTransaction(work);
  }

  @Override
  public EventTypes types() {
    return view.types();
  }

  @Override
  public void close() {
    view.close();
  }

  @Override
  public EventStoreConfig config() {
    return backend.config();
  }

  @Override
  public JdbcConfig jdbcConfig() {
    return backend.jdbcConfig();
  }

  @Override
  public Jdbi jdbi() {
    return backend.jdbi();
  }

  @Override
  public Registration onAppend(LongConsumer listener) {
    Runnable remove = backend.onAppend(listener);
    return remove::run;
  }

  @Override
  public Registration observe(StoreObserver observer) {
    if (observer == null) {
      throw new InvalidInputException("observer must not be null");
    }
    Runnable remove = backend.observe(observer);
    return remove::run;
  }

  @Override
  public List<dev.fabula.jdbc.SchemaVersion> schemaVersions() {
    return backend.schemaVersions();
  }

  @Override
  public Optional<DataSource> ownedPool() {
    return Optional.ofNullable(backend.ownedPool());
  }

  @Override
  public String toString() {
    return "JdbcEventStore[" + backend.dialect().name() + "]";
  }
}
