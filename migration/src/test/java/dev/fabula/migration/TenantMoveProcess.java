package dev.fabula.migration;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.TenantDatabases;
import dev.fabula.jdbc.TenantDirectory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A child JVM that moves a tenant from database "one" to "two" and stops dead at one {@link
 * TenantMove.Phase}: it prints {@code AT <phase>} and waits for ever, for the crash test to SIGKILL
 * it there. At the first batch of the copy it appends events of its own to the tenant (printed as
 * {@code WROTE <id>}), so a catch-up round always has something to copy.
 */
public final class TenantMoveProcess {
  private TenantMoveProcess() {}

  /** Arguments: URL of "one", URL of "two", table prefix, tenant, the phase to stop at. */
  public static void main(String[] args) throws Exception {
    String tenant = args[3];
    TenantMove.Phase stopAt = TenantMove.Phase.valueOf(args[4]);
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withTablePrefix(args[2]);
    Map<String, JdbcEventStore> stores = new LinkedHashMap<>();
    stores.put("one", JdbcEventStore.open(args[0], EventStoreConfig.DEFAULT, jdbc));
    stores.put("two", JdbcEventStore.open(args[1], EventStoreConfig.DEFAULT, jdbc));
    CountDownLatch never = new CountDownLatch(1);
    boolean[] wrote = {false};
    try (TenantDatabases store = TenantDatabases.open(stores, "one", TenantDirectory.inTable(stores.get("one")),
        dev.fabula.jdbc.TenantRoutingConfig.DEFAULT)) {
      TenantMove.open(store, TenantMoveConfig.DEFAULT.withBatchSize(20).withFenceBelow(1)).withListener((t, phase, copied) -> {
        if (phase == TenantMove.Phase.COPYING && !wrote[0]) {
          wrote[0] = true;
          List<EventData> extra = new ArrayList<>();
          for (int i = 1; i <= 5; i++) {
            extra.add(TenantMovePostgresTest.event("child", i));
          }
          store.database("one").forTenant(tenant).append("child", ExpectedVersion.noStream(), extra);
          extra.forEach(e -> System.out.println("WROTE " + e.eventId()));
        }
        if (phase == stopAt) {
          System.out.println("AT " + phase);
          System.out.flush();
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        }
      }).move(tenant, "two");
    }
    System.out.println("DONE");
  }
}
