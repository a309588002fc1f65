package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventStoreConfig;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Segmented projections on every backend, and the failures the reference (Axon's tracking
 * segments) is known for, each as a test: segments left unowned after a split, a merge that
 * redelivers the faster half, two owners under clock skew, claims stolen from segments waiting for
 * a thread, and a rebuild's state lost by a split during the rebuild.
 */
abstract class ProjectionSegmentsContract extends ContractSupport {
  private static final ProjectionId ID = ProjectionId.of("segmented", 1);

  private RunnerConfig threads(int n) {
    return FAST.withPollInterval(Duration.ofMillis(200)).withSegmentThreads(n);
  }

  private List<SegmentStatus> segments() {
    return projections.status(ID).segments();
  }

  /** Appends {@code perStream} events to each of {@code streams} streams; returns the last position. */
  private long appendToStreams(int streams, int perStream) {
    long last = 0;
    for (int i = 0; i < perStream; i++) {
      for (int s = 0; s < streams; s++) {
        last = append("order-" + s, "placed", 1).lastPosition();
      }
    }
    return last;
  }

  /** Every event of the log in {@code table} exactly once, and each stream's events in version order. */
  private void assertExactlyOnceInStreamOrder(String table) {
    assertThat(count("SELECT count(*) FROM (SELECT position FROM " + table + " GROUP BY position HAVING count(*) > 1) d"))
        .as("positions applied twice").isZero();
    assertThat(longs("SELECT position FROM " + table + " ORDER BY position")).as("every position applied")
        .containsExactlyElementsOf(allPositions());
    Map<String, Long> lastVersion = new HashMap<>();
    store.jdbi().useHandle(h -> h.createQuery("SELECT stream_id, stream_version FROM " + table + " ORDER BY seq, position")
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
        .forEach(e -> {
          long previous = lastVersion.getOrDefault(e.getKey(), 0L);
          assertThat(e.getValue()).as("version after %s in stream %s", previous, e.getKey()).isEqualTo(previous + 1);
          lastVersion.put(e.getKey(), e.getValue());
        }));
  }

  @Test
  void a_projection_runs_as_segments_over_the_threads_of_a_runner_each_stream_in_order_each_event_once() {
    String t = createAppliedTable("applied");
    long last = appendToStreams(16, 5);
    Projection p = Projection.transactional(ID.name(), insertInto(t)).withBatchSize(7).withSegments(4);
    run(threads(4), p);
    projections.awaitPosition(ID, last, WAIT);

    assertExactlyOnceInStreamOrder(t);
    eventually("every segment held", () -> segments().stream().allMatch(s -> s.owner() != null));
    List<SegmentStatus> segments = segments();
    assertThat(segments).extracting(SegmentStatus::segment).containsExactly(0, 1, 2, 3);
    assertThat(segments).allMatch(s -> s.mask() == 3 && s.checkpoint() == last);
    assertThat(segments.stream().map(SegmentStatus::owner).distinct()).as("one thread each").hasSize(4);
    assertThat(projections.status(ID).checkpoint()).isEqualTo(last);
    // each stream is one segment's: the hash places it
    for (int s = 0; s < 16; s++) {
      String stream = "order-" + s;
      assertThat(segments.stream().filter(x -> x.owns(null, stream))).hasSize(1);
    }
  }

  @Test
  void a_projection_that_ran_whole_is_split_at_its_checkpoint_when_it_starts_with_segments_without_a_rebuild() {
    String t = createAppliedTable("applied");
    Projection whole = Projection.transactional(ID.name(), insertInto(t));
    appendToStreams(8, 3);
    run(threads(2), whole);
    long first = store.headPosition();
    projections.awaitPosition(ID, first, WAIT);
    closeRunners();

    long last = appendToStreams(8, 3);
    run(threads(2), whole.withSegments(2));
    projections.awaitPosition(ID, last, WAIT);
    assertExactlyOnceInStreamOrder(t);
    assertThat(segments()).hasSize(2).allMatch(s -> s.checkpoint() == last);
  }

  /** Axon: segments left unowned after a split (its tests used an in-memory token store). */
  @Test
  void a_split_under_load_leaves_no_segment_unowned_and_applies_every_event_once() {
    String t = createAppliedTable("applied");
    Projection p = Projection.transactional(ID.name(), insertInto(t)).withBatchSize(5).withSegments(2);
    run(threads(4), p);
    appendToStreams(12, 4);
    projections.split(ID, 0);
    long last = appendToStreams(12, 4);
    projections.split(ID, 1);
    projections.awaitPosition(ID, last, WAIT);

    eventually("every segment held after the splits", () -> segments().stream().allMatch(s -> s.owner() != null));
    assertThat(segments()).extracting(SegmentStatus::segment, SegmentStatus::mask)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 3), org.assertj.core.groups.Tuple.tuple(1, 3),
            org.assertj.core.groups.Tuple.tuple(2, 3), org.assertj.core.groups.Tuple.tuple(3, 3));
    assertExactlyOnceInStreamOrder(t);
  }

  /** Axon: a merge of halves at different positions delivered the faster half's events again. */
  @Test
  void a_merge_of_halves_at_different_positions_delivers_nothing_twice_and_skips_nothing() {
    Map<Long, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    String t = createAppliedTable("applied");
    Projection exactlyOnce = Projection.transactional(ID.name(), insertInto(t)).withSegments(2);
    Projection atLeastOnce = Projection.atLeastOnce("segmented-alo", AtLeastOnceHandler.eachEvent(
        e -> deliveries.computeIfAbsent(e.position(), x -> new AtomicInteger()).incrementAndGet())).withSegments(2);
    long first = appendToStreams(10, 3);
    // One thread: it works segment 0 to the head; segment 1 waits for a thread at 0.
    run(threads(1), exactlyOnce, atLeastOnce);
    eventually("segment 0 at the head", () -> segments().get(0).checkpoint() == first
        && projections.status(atLeastOnce.id()).segments().get(0).checkpoint() == first);
    closeRunners();
    assertThat(segments().get(1).checkpoint()).isZero();
    try (var log = store.readAll(dev.fabula.LogQuery.all())) {
      log.forEach(e -> assertThat(projections.delivery(ID, e.position()).state()).as("the audit asks the stream's segment")
          .isEqualTo(segments().get(0).owns(null, e.streamId()) ? DeliveryState.APPLIED : DeliveryState.PENDING));
    }

    assertThat(projections.merge(ID, 1)).isZero();
    assertThat(projections.merge(atLeastOnce.id(), 0)).isZero();
    SegmentStatus merged = segments().get(0);
    assertThat(merged.mask()).isZero();
    assertThat(merged.checkpoint()).as("the slower half's").isZero();
    assertThat(merged.skipUntil()).as("the faster half's").isEqualTo(first);
    long last = appendToStreams(10, 2);
    run(threads(2), exactlyOnce, atLeastOnce);
    projections.awaitPosition(ID, last, WAIT);
    projections.awaitPosition(atLeastOnce.id(), last, WAIT);

    assertExactlyOnceInStreamOrder(t);
    assertThat(deliveries.keySet()).containsExactlyInAnyOrderElementsOf(allPositions());
    assertThat(deliveries.entrySet().stream().filter(e -> e.getValue().get() != 1).map(Map.Entry::getKey).toList())
        .as("positions delivered more than once").isEmpty();
    assertThat(segments()).singleElement().satisfies(s -> assertThat(s.skipUntil()).isNull());
  }

  @Test
  void a_merge_is_refused_while_a_half_still_skips_and_a_split_of_an_unsegmented_projection_says_how() {
    String t = createAppliedTable("applied");
    Projection p = Projection.transactional(ID.name(), insertInto(t)).withSegments(4);
    long first = appendToStreams(6, 2);
    run(threads(1), p);
    eventually("segment 0 at the head", () -> segments().get(0).checkpoint() == first);
    closeRunners();
    projections.merge(ID, 2); // 0 and 2 (mask 3) -> 0 (mask 1), skipping segment 0's streams up to `first`
    assertThatThrownBy(() -> projections.merge(ID, 0)).isInstanceOf(ProjectionException.class)
        .hasMessageContaining("its sibling 1 was split further");
    assertThat(projections.merge(ID, 3)).isEqualTo(1); // 1 and 3, both at 0: no skip
    assertThatThrownBy(() -> projections.merge(ID, 1)).isInstanceOf(ProjectionException.class)
        .hasMessageContaining("segment 0 of projection " + ID + " still skips events up to position " + first);
    Projection whole = Projection.transactional("whole", insertInto(t));
    run(threads(1), whole);
    closeRunners();
    assertThatThrownBy(() -> projections.split(whole.id(), 0)).isInstanceOf(ProjectionException.class)
        .hasMessageContaining("Projection.withSegments");
  }

  /**
   * Axon: claims stolen from segments waiting for a thread. A runner claims only what it has a
   * thread for, and a runner with idle threads never takes a segment whose lease is live.
   */
  @Test
  void a_runner_with_idle_threads_never_takes_a_segment_with_a_live_lease_and_none_waits_claimed_without_a_thread() {
    String t = createAppliedTable("applied");
    Projection p = Projection.transactional(ID.name(), insertInto(t)).withSegments(2);
    ProjectionRunner a = run(threads(1), p);
    eventually("runner a holds one segment", () -> segments().stream().filter(s -> s.owner() != null).count() == 1);
    SegmentStatus held = segments().stream().filter(s -> s.owner() != null).findFirst().orElseThrow();
    assertThat(held.owner()).startsWith(a.owner());
    SegmentStatus waiting = segments().stream().filter(s -> s.owner() == null).findFirst().orElseThrow();
    assertThat(waiting.state()).as("a segment this runner has no thread for is not claimed").isEqualTo(ProjectionState.STOPPED);

    ProjectionRunner b = run(threads(4), p); // three idle threads once it holds the free segment
    eventually("runner b holds the free segment", () -> {
      SegmentStatus s = segments().get(waiting.segment());
      return s.owner() != null && s.owner().startsWith(b.owner());
    });
    Instant until = segments().get(held.segment()).leaseUntil();
    eventually("two more renewals of runner a's lease",
        () -> segments().get(held.segment()).leaseUntil().isAfter(until.plusMillis(2_000)));
    SegmentStatus still = segments().get(held.segment());
    assertThat(still.owner()).isEqualTo(held.owner());
    assertThat(still.fencingToken()).as("never claimed again meanwhile").isEqualTo(held.fencingToken());
    long last = appendToStreams(8, 2);
    projections.awaitPosition(ID, last, WAIT);
    assertExactlyOnceInStreamOrder(t);
  }

  /** Axon: two owners of a segment under clock skew. Leases are on the database's clock. */
  @Test
  void runners_whose_clocks_disagree_by_a_minute_never_own_one_segment_together() {
    String t = createAppliedTable("applied");
    Projection p = Projection.transactional(ID.name(), insertInto(t)).withSegments(2);
    JdbcEventStore ahead = openAnotherStore(EventStoreConfig.DEFAULT.withClock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30))));
    JdbcEventStore behind = openAnotherStore(EventStoreConfig.DEFAULT.withClock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-30))));
    ProjectionRunner a = closeLater(Projections.open(ahead).runner(threads(1), List.of(p))).start();
    eventually("runner a holds a segment", () -> segments().stream().anyMatch(s -> s.owner() != null));
    ProjectionRunner b = closeLater(Projections.open(behind).runner(threads(2), List.of(p))).start();
    eventually("each runner holds one segment", () -> segments().stream().allMatch(s -> s.owner() != null));
    Map<Integer, String> owners = segments().stream().collect(Collectors.toMap(SegmentStatus::segment, SegmentStatus::owner));
    Map<Integer, Long> tokens = segments().stream().collect(Collectors.toMap(SegmentStatus::segment, SegmentStatus::fencingToken));
    assertThat(owners.values()).anyMatch(o -> o.startsWith(a.owner())).anyMatch(o -> o.startsWith(b.owner()));
    long last = appendToStreams(10, 3);
    projections.awaitPosition(ID, last, WAIT);
    Instant until = segments().get(0).leaseUntil();
    eventually("two more lease renewals", () -> segments().get(0).leaseUntil().isAfter(until.plusMillis(2_000))
        && segments().get(1).leaseUntil().isAfter(until.plusMillis(2_000)));
    assertThat(segments()).allSatisfy(s -> {
      assertThat(s.owner()).isEqualTo(owners.get(s.segment()));
      assertThat(s.fencingToken()).as("never claimed by the other runner").isEqualTo(tokens.get(s.segment()));
    });
    assertExactlyOnceInStreamOrder(t);

    a.close(); // a releases its segment; b's idle thread claims it
    eventually("runner b holds both", () -> segments().stream().allMatch(s -> s.owner() != null && s.owner().startsWith(b.owner())));
  }

  /** Axon: the replay status was lost when a segment was split during a replay. */
  @Test
  void a_segment_split_during_a_rebuild_goes_on_rebuilding_in_both_halves() {
    String t = createAppliedTable("applied");
    Projection p = Projection.transactional(ID.name(), insertInto(t)).withSegments(2)
        .withReset(h -> h.execute("DELETE FROM " + t));
    long last = appendToStreams(12, 3);
    run(threads(2), p);
    projections.awaitPosition(ID, last, WAIT);
    closeRunners();

    projections.rebuild(ID);
    run(threads(1), p); // resets both segments, replays segment 0 only
    eventually("segment 0 rebuilt", () -> segments().get(0).state() == ProjectionState.RUNNING
        && segments().get(0).checkpoint() == last);
    closeRunners();
    assertThat(segments().get(1).checkpoint()).isZero();
    assertThat(storedStates()).containsExactly("STOPPED", "REBUILDING"); // released: STOPPED

    projections.split(ID, 1);
    assertThat(segments()).extracting(SegmentStatus::segment).containsExactly(0, 1, 3);
    assertThat(storedStates()).as("the halves of a rebuilding segment rebuild").containsExactly("STOPPED", "REBUILDING", "REBUILDING");
    assertThat(projections.status(ID).caughtUp()).isFalse();
    run(threads(3), p);
    projections.awaitPosition(ID, last, WAIT);
    eventually("rebuilt", () -> projections.status(ID).state() == ProjectionState.RUNNING);
    assertExactlyOnceInStreamOrder(t);
  }

  /** The states in the segments' rows, lowest segment first (status shows STOPPED while none holds them). */
  private List<String> storedStates() {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT state FROM " + table("projection_segments")
        + " WHERE name = :name ORDER BY segment").bind("name", ID.name()).mapTo(String.class).list());
  }

  @Test
  void a_failed_segment_stops_alone_and_resume_lets_it_go_on() {
    AtomicInteger failures = new AtomicInteger(1_000);
    String t = createAppliedTable("applied");
    TransactionalHandler inner = insertInto(t);
    Projection p = Projection.transactional(ID.name(), (h, events) -> {
      for (RecordedEvent e : events) {
        if (e.streamId().equals("order-3") && failures.get() > 0) {
          failures.decrementAndGet();
          throw new IllegalStateException("boom");
        }
      }
      inner.apply(h, events);
    }).withSegments(2);
    long last = appendToStreams(6, 2);
    run(threads(2), p);
    eventually("a segment failed", () -> segments().stream().anyMatch(s -> s.state() == ProjectionState.FAILED));
    SegmentStatus failed = segments().stream().filter(s -> s.state() == ProjectionState.FAILED).findFirst().orElseThrow();
    assertThat(failed.owns(null, "order-3")).isTrue();
    assertThat(projections.status(ID).state()).isEqualTo(ProjectionState.FAILED);
    SegmentStatus other = segments().stream().filter(s -> s != failed && s.segment() != failed.segment()).findFirst().orElseThrow();
    eventually("the other segment caught up", () -> segments().get(other.segment()).checkpoint() == last);
    failures.set(0);
    assertThat(projections.resume(ID)).isTrue();
    projections.awaitPosition(ID, last, WAIT);
    assertExactlyOnceInStreamOrder(t);
  }
}
