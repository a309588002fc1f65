package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.EventTypes;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rebuild of the getting-started guide's projection ({@link ShopApp#cartTotals}) gives the total
 * the guide prints, 15, not 30: its reset hook empties the table before the replay.
 */
class ShopAppRebuildTest {
  @TempDir Path dir;

  @Test
  void a_rebuild_of_the_cart_totals_keeps_the_total_on_sqlite() throws Exception {
    assertTotalAfterRebuild("jdbc:sqlite:" + dir.resolve("shop.db"));
  }

  @Test
  @ExtendWith(PostgresExtension.class)
  void a_rebuild_of_the_cart_totals_keeps_the_total_on_postgresql(PostgresDatabase db) throws Exception {
    assertTotalAfterRebuild(db.jdbcUrlWithCredentials());
  }

  private static void assertTotalAfterRebuild(String url) throws InterruptedException {
    PrintStream original = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      ShopApp.main(new String[] {url});
    } finally {
      System.setOut(original);
    }
    EventTypes types = EventTypes.builder().register(ShopApp.CartEvent.class).build();
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT.withEventTypes(types), dev.fabula.jdbc.JdbcConfig.DEFAULT.withMigrateOnOpen(true))) {
      Projection totals = ShopApp.cartTotals(store);
      Projections projections = Projections.open(store);
      try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(totals)).start()) {
        projections.rebuild(totals.id());
        projections.awaitPosition(totals.id(), store.headPosition(), Duration.ofSeconds(20));
      }
      BigDecimal total = store.jdbi().withHandle(h ->
          h.createQuery("SELECT total FROM cart_totals WHERE cart = 'cart-42'").mapTo(BigDecimal.class).one());
      assertThat(total).isEqualByComparingTo("15");
    }
  }
}
