package dev.fabula.projections;

import java.util.Objects;

/**
 * A projection: a stable name and version, the events it handles, and what it does with them.
 * Immutable; start from a factory and change what you need with the withers.
 *
 * <pre>{@code
 * Projection orderList = Projection.transactional("order-list", (handle, events) -> { ... })
 *     .withFilter(EventFilter.ofCategories("order"))
 *     .withReset(handle -> handle.execute("DELETE FROM order_list"));
 * }</pre>
 *
 * <p><b>Versions.</b> Each version has its own checkpoint: to change what a projection computes,
 * give the new code version 2, let it build its own tables ({@link #table}) while version 1
 * keeps serving, then {@link Projections#promote} it (blue/green).
 *
 * <p><b>Rebuilds.</b> {@link Projections#rebuild} replays the whole log into the read model, so a
 * projection must say how a replay leaves it right, or its rebuild is refused: a {@link
 * #withReset reset hook} that empties its tables first, or {@link #withIdempotentReplay} when its
 * handler writes every row whole from the event (a replay over the old rows then gives the same
 * rows). Without either, a handler that adds up (a total, a counter, an inserted row per event)
 * would count every event twice.
 *
 * <p><b>Delivery.</b> Decided by the handler's kind: exactly once for a {@link
 * TransactionalHandler} (same-database read models), at least once for an {@link
 * AtLeastOnceHandler}. Several projections may handle the same events, each with its own
 * checkpoint.
 */
public final class Projection {

  /** Default number of events per batch. */
  public static final int DEFAULT_BATCH_SIZE = 500;
  /** Largest batch size. */
  public static final int MAX_BATCH_SIZE = 10_000;

  private final ProjectionId id;
  private final EventFilter filter;
  private final ProjectionHandler handler;
  private final ResetHook reset;
  private final int batchSize;
  private final FailurePolicy failurePolicy;
  private final boolean idempotentReplay;
  private final ErasureHook erasure;
  private final RemovalHook removals;
  private final int segments;

  /** Most segments of one projection. */
  public static final int MAX_SEGMENTS = 1024;

  private Projection(
      ProjectionId id, EventFilter filter, ProjectionHandler handler, ResetHook reset, int batchSize,
      FailurePolicy failurePolicy, boolean idempotentReplay, ErasureHook erasure, RemovalHook removals,
      int segments) {
    if (handler == null || filter == null || reset == null || failurePolicy == null || erasure == null
        || removals == null) {
      throw new ProjectionException("projection '" + id.name() + "': handler, filter, reset hook and "
          + "failure policy must not be null (use EventFilter.ALL, ResetHook.NONE, FailurePolicy.STOP)");
    }
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new ProjectionException("batch size of projection '" + id.name() + "' must be between 1 and "
          + MAX_BATCH_SIZE + " but was " + batchSize);
    }
    this.id = id;
    this.filter = filter;
    this.handler = handler;
    this.reset = reset;
    this.batchSize = batchSize;
    this.failurePolicy = failurePolicy;
    this.idempotentReplay = idempotentReplay;
    this.erasure = erasure;
    this.removals = removals;
    if (segments < 1 || segments > MAX_SEGMENTS || Integer.bitCount(segments) != 1) {
      throw new ProjectionException("segments of projection '" + id.name() + "' must be a power of two from 1 to "
          + MAX_SEGMENTS + " but was " + segments);
    }
    this.segments = segments;
  }

  /**
   * A projection whose read model is in the event store's database: exactly-once effects.
   * Version 1, every event, batches of {@value #DEFAULT_BATCH_SIZE}, {@link FailurePolicy#STOP}; no
   * reset hook, so not {@link #rebuildable()} until you add one.
   */
  public static Projection transactional(String name, TransactionalHandler handler) {
    return new Projection(ProjectionId.of(name, 1), EventFilter.ALL, handler, ResetHook.NONE,
        DEFAULT_BATCH_SIZE, FailurePolicy.STOP, false, ErasureHook.NONE, RemovalHook.STOP, 1);
  }

  /** A projection that feeds anything else: at-least-once delivery. Defaults as {@link #transactional}. */
  public static Projection atLeastOnce(String name, AtLeastOnceHandler handler) {
    return new Projection(ProjectionId.of(name, 1), EventFilter.ALL, handler, ResetHook.NONE,
        DEFAULT_BATCH_SIZE, FailurePolicy.STOP, false, ErasureHook.NONE, RemovalHook.STOP, 1);
  }

  /**
   * Returns a copy whose read model takes part in {@link dev.fabula.EventStore#erase}: the hook
   * deletes (or blanks) the rows the projection wrote for an erased stream or subject, in the
   * erasure's transaction. Without one, the read model keeps its copies: rebuild the projection
   * after an erasure, or delete them yourself.
   */
  public Projection withErasure(ErasureHook value) {
    return new Projection(id, filter, handler, reset, batchSize, failurePolicy, idempotentReplay, value, removals, segments);
  }

  /** What erases this projection's read-model rows; {@link ErasureHook#NONE} by default. */
  public ErasureHook erasure() {
    return erasure;
  }

  /**
   * Returns a copy that decides with {@code value} whether to read on past events retention
   * removed ahead of it; see {@link RemovalHook} (the default, {@link RemovalHook#STOP}, stops there
   * with the error in the projection's status). A projection rebuilt over truncated streams needs
   * one that accepts.
   */
  public Projection withRemovals(RemovalHook value) {
    return new Projection(id, filter, handler, reset, batchSize, failurePolicy, idempotentReplay, erasure, value, segments);
  }

  /** What the projection does about removed ranges ahead of it. */
  public RemovalHook removals() {
    return removals;
  }

  /** Returns a copy with another version. */
  public Projection withVersion(int version) {
    return new Projection(ProjectionId.of(id.name(), version), filter, handler, reset, batchSize, failurePolicy,
        idempotentReplay, erasure, removals, segments);
  }

  /** Returns a copy that handles only the events {@code value} passes. */
  public Projection withFilter(EventFilter value) {
    return new Projection(id, value, handler, reset, batchSize, failurePolicy, idempotentReplay, erasure, removals, segments);
  }

  /**
   * Returns a copy with a reset hook that clears the read model before a rebuild, such as {@code
   * handle -> handle.execute("DELETE FROM order_list")}; this makes it {@link #rebuildable()}.
   */
  public Projection withReset(ResetHook value) {
    return new Projection(id, filter, handler, value, batchSize, failurePolicy, idempotentReplay, erasure, removals, segments);
  }

  /**
   * Returns a copy that declares its replay idempotent: the handler writes each row whole from the
   * event (an upsert that sets columns, a delete by key), never adds to what is there (no {@code
   * total = total + ?}, no insert of a row per event), so replaying the log over the existing read
   * model leaves the rows a replay into empty tables would. This makes it {@link #rebuildable()}
   * without a reset hook (a rebuild then replays over the old rows; rows of streams that no longer
   * exist stay). Prefer {@link #withReset} when in doubt.
   */
  public Projection withIdempotentReplay() {
    return new Projection(id, filter, handler, reset, batchSize, failurePolicy, true, erasure, removals, segments);
  }

  /** Returns a copy that gets at most {@code value} events per handler call (1: one at a time). */
  public Projection withBatchSize(int value) {
    return new Projection(id, filter, handler, reset, value, failurePolicy, idempotentReplay, erasure, removals, segments);
  }

  /** Returns a copy with another failure policy. */
  public Projection withFailurePolicy(FailurePolicy value) {
    return new Projection(id, filter, handler, reset, batchSize, value, idempotentReplay, erasure, removals, segments);
  }

  /**
   * Returns a copy that runs as {@code value} segments (a power of two, 1 to {@value
   * #MAX_SEGMENTS}): each owns the streams whose hash falls in it ({@link SegmentStatus#owns}), has
   * its own checkpoint, lease and fencing token, and runs on a thread of any runner (see {@link
   * RunnerConfig#withSegmentThreads}), so that each stream keeps its order while several threads
   * and processes apply the projection. The count applies when a runner first starts the
   * projection with more than one: it then splits the projection at its checkpoint, without a
   * rebuild. Later, {@link Projections#split} and {@link Projections#merge} change it; the count
   * here is not read again. See docs/segments.md.
   */
  public Projection withSegments(int value) {
    return new Projection(id, filter, handler, reset, batchSize, failurePolicy, idempotentReplay, erasure, removals, value);
  }

  /** How many segments it starts as ({@link #withSegments}); 1 unless set. */
  public int segments() {
    return segments;
  }

  /** The name and version. */
  public ProjectionId id() {
    return id;
  }

  /** The stable name. */
  public String name() {
    return id.name();
  }

  /** The version. */
  public int version() {
    return id.version();
  }

  /** The events it handles. */
  public EventFilter filter() {
    return filter;
  }

  /** What it does with them. */
  public ProjectionHandler handler() {
    return handler;
  }

  /** Its reset hook; {@link ResetHook#NONE} when it has none. */
  public ResetHook reset() {
    return reset;
  }

  /** Whether it declares its replay idempotent ({@link #withIdempotentReplay}). */
  public boolean idempotentReplay() {
    return idempotentReplay;
  }

  /**
   * Whether {@link Projections#rebuild} accepts it: it has a reset hook other than {@link
   * ResetHook#NONE}, or declares its replay idempotent.
   */
  public boolean rebuildable() {
    return reset != ResetHook.NONE || idempotentReplay;
  }

  /** The most events per handler call. */
  public int batchSize() {
    return batchSize;
  }

  /** What happens when an event keeps failing. */
  public FailurePolicy failurePolicy() {
    return failurePolicy;
  }

  /**
   * A table name for this version's read model: {@code base + "_v" + version}, such as {@code
   * order_list_v2}, so that two versions can build side by side. {@code base} must be a plain SQL
   * identifier.
   */
  public String table(String base) {
    if (base == null || !base.matches("[A-Za-z_][A-Za-z0-9_]{0,50}")) {
      throw new ProjectionException("table base name '" + base + "' is not a plain SQL identifier; "
          + "use letters, digits and '_', starting with a letter");
    }
    return base + "_v" + id.version();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Projection p && p.id.equals(id) && p.filter.equals(filter) && p.handler == handler
        && p.reset == reset && p.batchSize == batchSize && p.failurePolicy == failurePolicy
        && p.idempotentReplay == idempotentReplay;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, filter, batchSize, failurePolicy);
  }

  @Override
  public String toString() {
    return "Projection[" + id + ", " + (handler instanceof TransactionalHandler ? "transactional" : "at-least-once")
        + ", filter=" + filter + ", batch=" + batchSize + ", onFailure=" + failurePolicy
        + ", rebuild=" + (reset != ResetHook.NONE ? "reset hook" : idempotentReplay ? "idempotent replay" : "refused") + "]";
  }
}
