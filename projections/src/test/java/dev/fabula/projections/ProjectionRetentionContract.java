package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.RecordedEvent;
import dev.fabula.RemovedRange;
import dev.fabula.RetentionPolicy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The runner across retention ({@link dev.fabula.Retention}): a projection behind a removed range
 * stops there and says so in its status until its {@link RemovalHook} accepts; a rebuild over a
 * truncated stream hands the hook exactly the ranges it cannot see, then folds what remains.
 */
abstract class ProjectionRetentionContract extends ContractSupport {

  private final List<String> applied = new CopyOnWriteArrayList<>();
  private final List<RemovedRange> told = new CopyOnWriteArrayList<>();

  private Projection collecting(String name) {
    return Projection.atLeastOnce(name, AtLeastOnceHandler.eachEvent((RecordedEvent e) ->
        applied.add(e.streamId() + "@" + e.streamVersion()))).withIdempotentReplay();
  }

  private RemovalHook accepting() {
    return ranges -> {
      told.addAll(ranges);
      return true;
    };
  }

  @Test
  void a_projection_behind_a_truncated_range_stops_there_with_the_error_in_its_status() {
    append("sensor-1", "read", 4);
    append("order-1", "placed", 1);
    store.retention().apply(RetentionPolicy.keepLast(1).forStream("sensor-1"));
    Projection projection = collecting("behind");

    run(FAST, projection);

    eventually("the error in the status", () -> projections.status(projection.id()).lastError() != null);
    ProjectionStatus status = projections.status(projection.id());
    assertThat(status.lastError()).contains("lost 1 range(s) to retention").contains("sensor-1").contains("versions 1-3");
    assertThat(status.checkpoint()).isZero();
    assertThat(applied).as("nothing skipped silently: nothing applied").isEmpty();
  }

  @Test
  void a_projection_whose_hook_accepts_reads_on_past_the_range_it_was_told_of() {
    append("sensor-1", "read", 4);
    long head = append("order-1", "placed", 1).lastPosition();
    RemovedRange range = store.retention().apply(RetentionPolicy.keepLast(1).forStream("sensor-1")).get(0);
    Projection projection = collecting("accepting").withRemovals(accepting());

    run(FAST, projection);

    eventually("caught up", () -> projections.status(projection.id()).checkpoint() == head);
    assertThat(told).containsExactly(range);
    assertThat(applied).containsExactly("sensor-1@4", "order-1@1");
  }

  @Test
  void a_projection_rebuilt_over_a_truncated_stream_is_told_exactly_what_it_cannot_see_and_folds_the_rest() {
    append("sensor-1", "read", 4);
    long head = append("order-1", "placed", 2).lastPosition();
    Projection projection = collecting("rebuilt").withRemovals(accepting());
    run(FAST, projection);
    eventually("caught up", () -> projections.status(projection.id()).checkpoint() == head);
    RemovedRange range = store.retention().apply(RetentionPolicy.keepLast(1).forStream("sensor-1")).get(0);
    assertThat(told).as("a projection past the range is not behind it").isEmpty();
    applied.clear();

    projections.rebuild(projection.id());

    eventually("rebuilt", () -> applied.size() == 3 && projections.status(projection.id()).checkpoint() == head);
    assertThat(told).containsExactly(range);
    assertThat(range.fromVersion()).isEqualTo(1);
    assertThat(range.toVersion()).isEqualTo(3);
    assertThat(applied).containsExactly("sensor-1@4", "order-1@1", "order-1@2");
  }
}
