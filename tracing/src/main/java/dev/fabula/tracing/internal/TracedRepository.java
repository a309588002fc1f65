package dev.fabula.tracing.internal;

import dev.fabula.Aggregate;
import dev.fabula.AggregateRepository;
import dev.fabula.AggregateState;
import dev.fabula.CommandMetadata;
import dev.fabula.CommandResult;
import dev.fabula.HistoryEntry;
import dev.fabula.RepositoryConfig;
import dev.fabula.Transaction;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * A repository whose commands run inside a span {@code fabula command <category>}, current while
 * the command runs; loads are passed through untraced.
 */
public final class TracedRepository<S, C, E> implements AggregateRepository<S, C, E> {
  static final AttributeKey<String> CATEGORY = AttributeKey.stringKey("fabula.aggregate.category");
  static final AttributeKey<String> COMMAND = AttributeKey.stringKey("fabula.command.type");
  static final AttributeKey<Long> EVENTS = AttributeKey.longKey("fabula.append.events");
  static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("fabula.command.attempts");

  private final AggregateRepository<S, C, E> delegate;
  private final Tracer tracer;
  /** The aggregate's category, and the span name it gives: fixed for the repository, made once. */
  private final String category;
  private final String spanName;

  /** Wraps {@code delegate}. */
  public TracedRepository(AggregateRepository<S, C, E> delegate, Tracer tracer) {
    this.delegate = delegate;
    this.tracer = tracer;
    this.category = delegate.aggregate().category();
    this.spanName = "fabula command " + category;
  }

  @Override
  public CommandResult<E> handle(String id, C command) {
    return traced(command, () -> delegate.handle(id, command));
  }

  @Override
  public CommandResult<E> handle(String id, C command, CommandMetadata metadata) {
    return traced(command, () -> delegate.handle(id, command, metadata));
  }

  @Override
  public CommandResult<E> handle(Transaction tx, String id, C command, CommandMetadata metadata) {
    return traced(command, () -> delegate.handle(tx, id, command, metadata));
  }

  private CommandResult<E> traced(C command, Supplier<CommandResult<E>> work) {
    Span span = tracer.spanBuilder(spanName)
        .setAttribute(CATEGORY, category)
        .setAttribute(COMMAND, command == null ? "null" : command.getClass().getSimpleName())
        .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      CommandResult<E> result = work.get();
      span.setAttribute(Spans.OUTCOME, result.accepted() ? "accepted" : "rejected");
      span.setAttribute(EVENTS, (long) result.events().size());
      if (result instanceof CommandResult.Accepted<E> a) {
        span.setAttribute(ATTEMPTS, (long) a.attempts());
      }
      return result;
    } catch (RuntimeException | Error e) {
      Spans.failed(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  @Override
  public AggregateState<S> load(String id) {
    return delegate.load(id);
  }

  @Override
  public AggregateState<S> loadAtVersion(String id, long version) {
    return delegate.loadAtVersion(id, version);
  }

  @Override
  public AggregateState<S> loadAsOf(String id, Instant instant) {
    return delegate.loadAsOf(id, instant);
  }

  @Override
  public List<HistoryEntry<S, E>> history(String id) {
    return delegate.history(id);
  }

  @Override
  public String streamId(String id) {
    return delegate.streamId(id);
  }

  @Override
  public Aggregate<S, C, E> aggregate() {
    return delegate.aggregate();
  }

  @Override
  public RepositoryConfig config() {
    return delegate.config();
  }

  @Override
  public String toString() {
    return "Traced" + delegate;
  }
}
