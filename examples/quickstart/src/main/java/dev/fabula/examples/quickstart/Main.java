package dev.fabula.examples.quickstart;

import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.Metadata;
import dev.fabula.RecordedEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The quick start: opens an event store on a local SQLite file (or the JDBC URL given as the first
 * argument), appends a few events, reads them back and prints what happened.
 */
public final class Main {

  /** The events of a small electricity-token ledger. */
  sealed interface LedgerEvent {}

  @EventType("token-purchased")
  record TokenPurchased(String meter, BigDecimal kwh, BigDecimal amount, Instant at) implements LedgerEvent {}

  @EventType("reading-recorded")
  record ReadingRecorded(String meter, BigDecimal kwh, Instant at) implements LedgerEvent {}

  @EventType("reading-voided")
  record ReadingVoided(long version, String reason) implements LedgerEvent {}

  private Main() {}

  /** Runs the tour. */
  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : "jdbc:sqlite:target/quickstart.db";
    EventTypes types = EventTypes.builder().register(LedgerEvent.class).build();
    try (EventStore store = EventStore.open(url, EventStoreConfig.DEFAULT.withEventTypes(types))) {
      String stream = "meter-" + Long.toHexString(System.nanoTime());
      System.out.println("Opened " + store + " on " + url);

      var first = store.append(stream, ExpectedVersion.noStream(), List.of(
          EventData.of(new TokenPurchased(stream, new BigDecimal("50"), new BigDecimal("12.50"), Instant.now())),
          EventData.of(new ReadingRecorded(stream, new BigDecimal("1043.2"), Instant.now()))));
      System.out.printf("Appended versions %d-%d of %s at positions %d-%d%n",
          first.firstVersion(), first.lastVersion(), stream, first.firstPosition(), first.lastPosition());

      // A reading entered by mistake is never deleted: a compensating event voids it.
      var retry = EventData.of(new ReadingVoided(2, "typo")).withMetadata(Metadata.EMPTY.withActor("support"));
      store.append(stream, ExpectedVersion.exactly(first.lastVersion()), List.of(retry));
      store.append(stream, ExpectedVersion.any(), List.of(retry)); // a retried request: written once
      System.out.println("Voided reading 2; retrying the same request wrote nothing twice");

      System.out.println("History of " + stream + ":");
      for (RecordedEvent e : store.readStream(stream)) {
        Object event = store.types().decode(e);
        System.out.printf("  v%d  %-17s %s%n", e.streamVersion(), e.type(), event);
      }
      try (Stream<RecordedEvent> log = store.readAll(LogQuery.all().categories(java.util.Set.of("meter")))) {
        System.out.println("The global log holds " + log.count() + " meter events; head position " + store.headPosition());
      }
    }
  }
}
