package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.ReadReplica;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The code of docs/replicas.md. The configuration runs here; opening a store on a primary and its
 * standby only compiles here (a standby costs the docs build a second server): the same calls run
 * against a real primary and hot standby in eventstore-jdbc's ReplicaReadsPostgresTest and
 * projections' ReplicaProjectionPostgresTest.
 */
class ReplicasGuideTest {

  private static JdbcConfig replicaConfig(String standbyUrl) {
    // snippet:replica-config
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withReadReplica(
        ReadReplica.of(standbyUrl)                  // jdbc:postgresql://standby:5432/app?user=…
            .withMaxPoolSize(10)                    // the store's own pool on the standby
            .withReplayTimeout(Duration.ofSeconds(5)) // then ReplicaBehindException
            .withMaxStaleness(Duration.ZERO)        // every read sees appends completed before it
            .withStreamReads(false));               // stream reads stay on the primary
    // end
    return jdbc;
  }

  @Test
  void the_configuration_names_the_standby_and_keeps_stream_reads_on_the_primary() {
    JdbcConfig jdbc = replicaConfig("jdbc:postgresql://standby:5432/app?user=app&password=secret");
    assertThat(jdbc.readReplica()).isNotNull();
    assertThat(jdbc.readReplica().streamReads()).isFalse();
    assertThat(jdbc.readReplica().replayTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(jdbc.toString()).doesNotContain("secret");
  }

  /** Compiled, not run here: see the class comment. */
  static void runnerOnTheStandby(String primaryUrl, String standbyUrl, Projection orderList) {
    // snippet:replica-runner
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withReadReplica(ReadReplica.of(standbyUrl));
    try (JdbcEventStore store = JdbcEventStore.open(primaryUrl, EventStoreConfig.DEFAULT, jdbc)) {
      Projections projections = Projections.open(store); // checkpoints, leases: on the primary
      try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(orderList)).start()) {
        // the runner reads its events from the standby; a transactional handler writes its
        // read model on the primary, in the transaction that moves the checkpoint
      }
    }
    // end
  }
}
