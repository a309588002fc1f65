package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An append listener ({@link JdbcEventStore#onAppend}) runs after the commit: whatever it throws,
 * an {@link Error} included, the append stands and its caller gets its result, and the other
 * listeners are still told. A backend supplies the store.
 */
abstract class AppendListenerErrorsContract {
  private static final AtomicInteger STORES = new AtomicInteger();

  /** A store on fresh tables of {@code prefix}, migrated on open. */
  protected abstract JdbcEventStore openStore(EventStoreConfig config, String prefix);

  @Test
  void an_error_in_an_append_listener_does_not_fail_the_committed_append_or_silence_the_other_listeners() {
    try (JdbcEventStore store = openStore(EventStoreConfig.DEFAULT, "listen" + STORES.incrementAndGet() + "_")) {
      List<Long> heard = new CopyOnWriteArrayList<>();
      try (JdbcEventStore.Registration failing = store.onAppend(p -> {
            throw new StackOverflowError("a listener recursed");
          });
          JdbcEventStore.Registration other = store.onAppend(heard::add)) {
        AppendResult r = store.append("order-1", ExpectedVersion.noStream(),
            List.of(EventData.json("placed", 1, JsonNodeFactory.instance.objectNode().put("n", 1))));

        assertThat(r.lastPosition()).isPositive();
        assertThat(store.streamInfo("order-1")).isPresent();
        assertThat(heard).containsExactly(r.lastPosition());
      }
    }
  }
}
