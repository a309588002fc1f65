package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.AppendResult;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.RecordedEvent;
import dev.fabula.Upcaster;
import dev.fabula.Upcasters;
import dev.fabula.jdbc.JdbcEventStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Every {@link Throwable} a handler throws is accounted for: an {@link Error} such as {@code
 * StackOverflowError} goes through the failure policy like an exception (retried, then FAILED or
 * parked, with the error recorded); a {@link VirtualMachineError} ends the runner thread, which
 * says so in the status and gives its lease up for another runner; an inline projection's error
 * fails and rolls back the append with the projection named; a live projection that cannot go on
 * says why.
 */
abstract class ProjectionErrorsContract extends ContractSupport {

  @Test
  void an_error_in_a_transactional_handler_is_retried_then_fails_the_projection_with_the_error_recorded() {
    String t = createAppliedTable("overflow");
    Set<Long> poison = ConcurrentHashMap.newKeySet();
    TransactionalHandler insert = insertInto(t);
    Projection p = Projection.transactional("overflow", TransactionalHandler.eachEvent((h, e) -> {
      if (poison.contains(e.position())) {
        throw new StackOverflowError("too deep at " + e.position());
      }
      insert.apply(h, List.of(e));
    }));
    AppendResult before = append("order-1", "placed", 2);
    AppendResult bad = append("order-2", "placed", 1);
    AppendResult last = append("order-3", "placed", 2);
    poison.add(bad.lastPosition());

    run(FAST, p);
    assertThatThrownBy(() -> projections.awaitPosition(p.id(), last.lastPosition(), WAIT))
        .isInstanceOf(ProjectionFailedException.class)
        .hasMessageContaining("StackOverflowError");

    ProjectionStatus failed = projections.status(p.id());
    assertThat(failed.state()).isEqualTo(ProjectionState.FAILED);
    assertThat(failed.failedPosition()).isEqualTo(bad.lastPosition());
    assertThat(failed.checkpoint()).isEqualTo(before.lastPosition());
    assertThat(failed.lastError()).contains("StackOverflowError", "too deep at " + bad.lastPosition(), "failed 3 times");
    assertThat(failed.owner()).as("the runner keeps the lease and waits for a resume").isNotNull();

    poison.clear();
    assertThat(projections.resume(p.id())).isTrue();
    projections.awaitPosition(p.id(), last.lastPosition(), WAIT);
    assertThat(longs("SELECT position FROM " + t + " ORDER BY position")).containsExactlyElementsOf(allPositions());
  }

  @Test
  void an_error_in_an_at_least_once_handler_parks_the_event_when_the_policy_says_park() {
    List<Long> applied = new CopyOnWriteArrayList<>();
    Projection p = Projection.atLeastOnce("overflow-park", AtLeastOnceHandler.eachEvent(e -> {
      if (e.streamId().equals("order-b")) {
        throw new StackOverflowError("too deep in " + e.streamId());
      }
      applied.add(e.position());
    })).withFailurePolicy(FailurePolicy.PARK);
    AppendResult a = append("order-a", "placed", 2);
    AppendResult b = append("order-b", "placed", 1);
    AppendResult last = append("order-c", "placed", 2);

    run(FAST, p);
    projections.awaitPosition(p.id(), last.lastPosition(), WAIT);

    List<ParkedEvent> parked = projections.parked(p.id());
    assertThat(parked).extracting(ParkedEvent::position).containsExactly(b.lastPosition());
    assertThat(parked.get(0).reason()).contains("StackOverflowError", "too deep in order-b");
    assertThat(parked.get(0).attempts()).isEqualTo(FAST.maxAttempts());
    assertThat(applied).contains(a.lastPosition(), last.lastPosition()).doesNotContain(b.lastPosition());
    assertThat(projections.status(p.id()).parkedEvents()).isEqualTo(1);
  }

  @Test
  void an_error_in_an_at_least_once_handler_fails_the_projection_when_the_policy_says_stop() {
    AtomicBoolean broken = new AtomicBoolean(true);
    List<Long> applied = new CopyOnWriteArrayList<>();
    Projection p = Projection.atLeastOnce("overflow-stop", AtLeastOnceHandler.eachEvent(e -> {
      if (broken.get() && e.streamId().equals("order-b")) {
        throw new java.io.IOError(new java.io.IOException("disk gone"));
      }
      applied.add(e.position());
    }));
    append("order-a", "placed", 1);
    AppendResult bad = append("order-b", "placed", 1);

    run(FAST, p);
    assertThatThrownBy(() -> projections.awaitPosition(p.id(), bad.lastPosition(), WAIT))
        .isInstanceOf(ProjectionFailedException.class);
    ProjectionStatus failed = projections.status(p.id());
    assertThat(failed.state()).isEqualTo(ProjectionState.FAILED);
    assertThat(failed.failedPosition()).isEqualTo(bad.lastPosition());
    assertThat(failed.lastError()).contains("IOError", "disk gone");

    broken.set(false);
    projections.resume(p.id());
    projections.awaitPosition(p.id(), bad.lastPosition(), WAIT);
    assertThat(applied).contains(bad.lastPosition());
  }

  @Test
  void a_runner_thread_that_dies_of_a_virtual_machine_error_says_so_and_gives_its_lease_to_another_runner() {
    AtomicBoolean outOfMemory = new AtomicBoolean(true);
    List<Long> applied = new CopyOnWriteArrayList<>();
    Projection p = Projection.atLeastOnce("oom", AtLeastOnceHandler.eachEvent(e -> {
      if (outOfMemory.get()) {
        throw new OutOfMemoryError("injected: Java heap space");
      }
      applied.add(e.position());
    }));
    AppendResult last = append("order-1", "placed", 3);

    run(FAST.withOwner("doomed"), p);
    eventually("the dead runner thread to show in the status", () -> {
      ProjectionStatus s = projections.status(p.id());
      return s.lastError() != null && s.owner() == null;
    });
    ProjectionStatus dead = projections.status(p.id());
    assertThat(dead.state()).isEqualTo(ProjectionState.STOPPED);
    assertThat(dead.lastError()).contains("runner thread died", "OutOfMemoryError", "injected: Java heap space");
    assertThat(dead.waitingFor()).contains("restart");
    assertThat(dead.checkpoint()).isZero();

    // The lease was given up, not left to be renewed for a thread that no longer works: another runner takes over.
    outOfMemory.set(false);
    run(FAST.withOwner("healthy"), p);
    projections.awaitPosition(p.id(), last.lastPosition(), WAIT);
    assertThat(applied).containsExactlyElementsOf(allPositions());
    ProjectionStatus taken = projections.status(p.id());
    assertThat(taken.owner()).isEqualTo("healthy");
    assertThat(taken.lastError()).isNull();
  }

  @Test
  void an_error_while_reading_is_recorded_and_retried_and_the_runner_goes_on_once_it_passes() {
    AtomicBoolean upcasterBroken = new AtomicBoolean(true);
    Upcaster rename = Upcaster.rename("legacy", 1, "placed", 1);
    JdbcEventStore upcasting = openAnotherStore(EventStoreConfig.DEFAULT.withUpcasters(Upcasters.of(
        Upcaster.of("legacy", 1, raw -> {
          if (upcasterBroken.get()) {
            throw new StackOverflowError("an upcaster recursed");
          }
          return rename.upcast(raw);
        }))));
    Projections viaUpcaster = Projections.open(upcasting);
    List<Long> applied = new CopyOnWriteArrayList<>();
    Projection p = Projection.atLeastOnce("reads", AtLeastOnceHandler.eachEvent(e -> applied.add(e.position())));
    AppendResult last = append("order-1", "legacy", 2);

    closeLater(viaUpcaster.runner(FAST, List.of(p))).start();
    eventually("the read error in the status", () -> {
      String error = viaUpcaster.status(p.id()).lastError();
      return error != null && error.contains("StackOverflowError");
    });
    assertThat(viaUpcaster.status(p.id()).owner()).as("the runner keeps its lease and tries again").isNotNull();

    upcasterBroken.set(false);
    viaUpcaster.awaitPosition(p.id(), last.lastPosition(), WAIT);
    assertThat(applied).containsExactlyElementsOf(allPositions());
    assertThat(viaUpcaster.status(p.id()).lastError()).isNull();
  }

  @Test
  void an_error_in_an_inline_projection_fails_the_append_with_the_projection_named_and_rolls_it_back() {
    InlineProjections inline = InlineProjections.open(store, List.of(Projection.transactional("deep", (h, events) -> {
      throw new StackOverflowError("too deep");
    })));

    assertThatThrownBy(() -> store.inTransaction(tx -> inline.append(tx, "order-1", ExpectedVersion.noStream(),
        List.of(event("placed", 1)))))
        .isInstanceOf(ProjectionException.class)
        .hasMessageContaining("inline projection deep", "StackOverflowError", "rolled back")
        .hasCauseInstanceOf(StackOverflowError.class);

    assertThat(store.streamInfo("order-1")).isEmpty();
    assertThat(store.append("order-2", ExpectedVersion.noStream(), List.of(event("placed", 2))).lastPosition())
        .as("the store goes on").isPositive();
  }

  @Test
  void a_live_projection_whose_read_fails_with_an_error_stops_and_says_why() {
    JdbcEventStore upcasting = openAnotherStore(EventStoreConfig.DEFAULT.withUpcasters(Upcasters.of(
        Upcaster.of("poison", 1, raw -> {
          throw new StackOverflowError("an upcaster recursed");
        }))));
    try (LiveProjection<Map<String, Integer>> counts = LiveProjection.start(upcasting, EventFilter.ALL,
        Map.<String, Integer>of(), ProjectionErrorsContract::plusOne, Duration.ofMinutes(10))) {
      AppendResult fine = upcasting.append("order-1", ExpectedVersion.any(), List.of(event("placed", 1)));
      counts.awaitPosition(fine.lastPosition(), WAIT);

      AppendResult poison = upcasting.append("order-1", ExpectedVersion.any(), List.of(event("poison", 2)));
      assertThatThrownBy(() -> counts.awaitPosition(poison.lastPosition(), WAIT))
          .isInstanceOf(ProjectionException.class)
          .isNotInstanceOf(ProjectionTimeoutException.class)
          .hasMessageContaining("StackOverflowError")
          .hasCauseInstanceOf(StackOverflowError.class);
      assertThat(counts.failure()).containsInstanceOf(StackOverflowError.class);
      assertThatThrownBy(counts::state).hasMessageContaining("an upcaster recursed");
      assertThat(counts.position()).isEqualTo(fine.lastPosition());
    }
  }

  @Test
  void a_live_projection_whose_fold_throws_an_error_stops_and_says_why() {
    try (LiveProjection<Map<String, Integer>> counts = LiveProjection.start(store, EventFilter.ALL,
        Map.<String, Integer>of(), (state, e) -> {
          if (e.type().equals("poison")) {
            throw new StackOverflowError("the fold recursed");
          }
          return plusOne(state, e);
        }, Duration.ofMinutes(10))) {
      AppendResult poison = append("order-1", "poison", 1);
      assertThatThrownBy(() -> counts.awaitPosition(poison.lastPosition(), WAIT))
          .isNotInstanceOf(ProjectionTimeoutException.class)
          .hasMessageContaining("the fold recursed");
      assertThat(counts.failure()).containsInstanceOf(StackOverflowError.class);
    }
  }

  static Map<String, Integer> plusOne(Map<String, Integer> state, RecordedEvent e) {
    return ProjectionContract.plusOne(state, e);
  }
}
