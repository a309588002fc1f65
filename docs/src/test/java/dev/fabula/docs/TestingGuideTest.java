package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.AppendOutcomeUnknownException;
import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.contract.EventStoreAppendContract;
import dev.fabula.testkit.contract.EventStoreDeleteContract;
import dev.fabula.testkit.contract.EventStoreIdempotencyContract;
import dev.fabula.testkit.contract.EventStoreLogContract;
import dev.fabula.testkit.contract.EventStoreStreamReadContract;
import dev.fabula.testkit.contract.EventStoreUnitOfWorkContract;
import dev.fabula.testkit.faults.FaultyDataSource;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The code of docs/testing.md. */
class TestingGuideTest {

  // snippet:postgres
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension(); // a fresh database per class

  @Test
  void my_projection_sees_what_i_append() {
    PostgresDatabase db = postgres.database();
    try (JdbcEventStore store = JdbcEventStore.open(db.jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true))) {
      store.append("order-1", ExpectedVersion.noStream(),
          List.of(EventData.json("order-placed", 1, store.types().mapper().createObjectNode().put("total", 12))));
      assertThat(store.readStream("order-1")).hasSize(1);
    }
  }
  // end

  @Test
  void an_append_in_doubt_is_retried_with_the_same_event_ids() {
    // snippet:faults
    FaultyDataSource faulty = FaultyDataSource.of(postgres.database().dataSource());
    try (JdbcEventStore store = JdbcEventStore.open(faulty, EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("faults_").withRetryWindow(Duration.ofMillis(500)))) {
      List<EventData> events =
          List.of(EventData.json("order-placed", 1, store.types().mapper().createObjectNode().put("total", 12)));
      // The database commits, the answer is lost, and the database stays out of reach.
      faulty.failNextCommit(FaultyDataSource.Fault.LOSE_ANSWER_THEN_UNREACHABLE);
      assertThatThrownBy(() -> store.append("order-1", ExpectedVersion.noStream(), events))
          .isInstanceOf(AppendOutcomeUnknownException.class);

      faulty.reachable();
      AppendResult retry = store.append("order-1", ExpectedVersion.noStream(), events); // the same events, the same ids
      assertThat(retry.replayed()).isTrue(); // the lost commit had landed: nothing is written twice
      assertThat(store.readStream("order-1")).hasSize(1);
    }
    // end
  }

  /** A third-party backend runs the contract like this; here the in-memory store does. */
  @Nested
  // snippet:contract
  class MyBackendAppendTest extends EventStoreAppendContract {
    @Override
    protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
      return EventStore.inMemory(config); // open your backend here, with this config and prefix
    }
  }
  // end

  @Nested
  class MyBackendIdempotencyTest extends EventStoreIdempotencyContract {
    @Override
    protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
      return EventStore.inMemory(config);
    }
  }

  @Nested
  class MyBackendStreamReadTest extends EventStoreStreamReadContract {
    @Override
    protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
      return EventStore.inMemory(config);
    }
  }

  @Nested
  class MyBackendLogTest extends EventStoreLogContract {
    @Override
    protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
      return EventStore.inMemory(config);
    }
  }

  @Nested
  class MyBackendDeleteTest extends EventStoreDeleteContract {
    @Override
    protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
      return EventStore.inMemory(config);
    }
  }

  @Nested
  class MyBackendUnitOfWorkTest extends EventStoreUnitOfWorkContract {
    @Override
    protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
      return EventStore.inMemory(config);
    }
  }
}
