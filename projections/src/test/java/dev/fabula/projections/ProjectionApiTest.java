package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The value types and their validation; no database. */
class ProjectionApiTest {

  @Test
  void rejects_invalid_names_and_versions_and_quotes_them() {
    assertThatThrownBy(() -> ProjectionId.of("", 1)).hasMessageContaining("''");
    assertThatThrownBy(() -> ProjectionId.of("no spaces", 1)).hasMessageContaining("'no spaces'");
    assertThatThrownBy(() -> ProjectionId.of("orders", 0)).hasMessageContaining("was 0");
    assertThat(ProjectionId.of("order-list.v:x_1", 3)).hasToString("order-list.v:x_1 v3");
  }

  @Test
  void is_configured_with_withers_from_immutable_defaults() {
    Projection p = Projection.transactional("orders", (h, events) -> {});
    Projection q = p.withVersion(2).withBatchSize(1).withFailurePolicy(FailurePolicy.PARK)
        .withFilter(EventFilter.ofTypes("placed"));

    assertThat(p.version()).isEqualTo(1);
    assertThat(p.batchSize()).isEqualTo(Projection.DEFAULT_BATCH_SIZE);
    assertThat(p.failurePolicy()).isEqualTo(FailurePolicy.STOP);
    assertThat(p.filter()).isEqualTo(EventFilter.ALL);
    assertThat(p.reset()).isSameAs(ResetHook.NONE);
    assertThat(q.id()).isEqualTo(ProjectionId.of("orders", 2));
    assertThat(q.batchSize()).isEqualTo(1);
    assertThat(q.failurePolicy()).isEqualTo(FailurePolicy.PARK);
    assertThat(q.table("order_list")).isEqualTo("order_list_v2");
    assertThat(q.handler()).isInstanceOf(TransactionalHandler.class);
    assertThat(Projection.atLeastOnce("cache", events -> {}).handler()).isInstanceOf(AtLeastOnceHandler.class);
  }

  @Test
  void is_rebuildable_only_with_a_reset_hook_or_a_declared_idempotent_replay() {
    Projection p = Projection.transactional("orders", (h, events) -> {});

    assertThat(p.rebuildable()).isFalse();
    assertThat(p.withReset(h -> h.execute("DELETE FROM orders")).rebuildable()).isTrue();
    assertThat(p.withIdempotentReplay().rebuildable()).isTrue();
    assertThat(p.withIdempotentReplay().withVersion(2).idempotentReplay()).isTrue();
    assertThat(p.withReset(ResetHook.NONE).rebuildable()).as("NONE is no reset hook").isFalse();
    assertThat(p.toString()).contains("rebuild=refused");
    assertThat(p.withIdempotentReplay()).isNotEqualTo(p);
  }

  @Test
  void a_fenced_handler_needs_the_token_and_each_event_checks_it_before_every_event() throws Exception {
    AtLeastOnceHandler fenced = AtLeastOnceHandler.fenced((events, token) -> {});
    assertThatThrownBy(() -> fenced.apply(List.of())).isInstanceOf(ProjectionException.class)
        .hasMessageContaining("fencing token");

    List<Long> applied = new java.util.ArrayList<>();
    int[] checks = {0};
    FencingToken token = new FencingToken() {
      @Override
      public long value() {
        return 7;
      }

      @Override
      public boolean valid() {
        return checks[0] < 1;
      }

      @Override
      public void check() {
        if (!valid()) {
          throw new LostLeaseException(ProjectionId.of("p", 1), "me", 0, "test");
        }
        checks[0]++;
      }
    };
    dev.fabula.RecordedEvent e = null;
    AtLeastOnceHandler each = AtLeastOnceHandler.eachEvent((event, t) -> applied.add(t.value()));
    assertThatThrownBy(() -> each.apply(java.util.Arrays.asList(e, e), token)).isInstanceOf(LostLeaseException.class);
    assertThat(applied).as("applied before the lease was lost, none after").containsExactly(7L);
  }

  @Test
  void rejects_a_bad_batch_size_or_table_name() {
    Projection p = Projection.atLeastOnce("cache", events -> {});
    assertThatThrownBy(() -> p.withBatchSize(0)).hasMessageContaining("was 0");
    assertThatThrownBy(() -> p.withBatchSize(Projection.MAX_BATCH_SIZE + 1)).hasMessageContaining("10001");
    assertThatThrownBy(() -> p.table("drop table;")).hasMessageContaining("'drop table;'");
  }

  @Test
  void validates_the_runner_configuration_and_quotes_the_bad_value() {
    assertThatThrownBy(() -> RunnerConfig.DEFAULT.withPollInterval(Duration.ZERO)).hasMessageContaining("pollInterval");
    assertThatThrownBy(() -> RunnerConfig.DEFAULT.withLeaseDuration(Duration.ofMillis(10))).hasMessageContaining("10 ms");
    assertThatThrownBy(() -> RunnerConfig.DEFAULT.withMaxAttempts(0)).hasMessageContaining("was 0");
    assertThatThrownBy(() -> RunnerConfig.DEFAULT.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("maxBackoff");
    assertThatThrownBy(() -> RunnerConfig.DEFAULT.withOwner(" ")).hasMessageContaining("owner");
  }

  @Test
  void doubles_the_backoff_before_each_attempt_up_to_the_maximum() {
    RunnerConfig c = RunnerConfig.DEFAULT.withBackoff(Duration.ofMillis(100), Duration.ofMillis(500));
    assertThat(List.of(2, 3, 4, 5, 6)).extracting(c::backoffBefore).extracting(Duration::toMillis)
        .containsExactly(100L, 200L, 400L, 500L, 500L);
  }

  @Test
  void filters_by_type_and_category_and_both() {
    EventFilter both = EventFilter.ofCategories("order").withTypes(Set.of("placed"));
    assertThat(both.after(7, 10).afterPosition()).isEqualTo(7);
    assertThat(both.after(7, 10).limit()).isEqualTo(10);
    assertThat(both.after(7, 10).types()).containsExactly("placed");
    assertThat(both.after(7, 10).categories()).containsExactly("order");
  }

  @Test
  void a_live_projection_works_on_the_in_memory_store_too() {
    try (EventStore store = EventStore.inMemory(EventStoreConfig.DEFAULT)) {
      store.append("order-1", ExpectedVersion.any(), List.of(ContractSupport.event("placed", 1)));
      try (LiveProjection<Map<String, Integer>> live = LiveProjection.start(store, EventFilter.ALL,
          Map.<String, Integer>of(), ProjectionContract::plusOne, Duration.ofMillis(20))) {
        assertThat(live.state()).containsEntry("order-1", 1);
        long p = store.append("order-2", ExpectedVersion.any(), List.of(ContractSupport.event("placed", 2))).lastPosition();
        live.awaitPosition(p, Duration.ofSeconds(10));
        assertThat(live.state()).containsEntry("order-2", 1);
      }
    }
  }

  @Test
  void a_live_projection_whose_fold_fails_while_rebuilding_does_not_start() {
    try (EventStore store = EventStore.inMemory(EventStoreConfig.DEFAULT)) {
      store.append("order-1", ExpectedVersion.any(), List.of(ContractSupport.event("placed", 1)));
      assertThatThrownBy(() -> LiveProjection.start(store, EventFilter.ALL, 0, (n, e) -> {
        throw new IllegalStateException("bad fold");
      }, Duration.ofSeconds(1))).isInstanceOf(ProjectionException.class).hasMessageContaining("bad fold");
    }
  }
}
