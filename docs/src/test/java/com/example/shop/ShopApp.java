package com.example.shop;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.WorkerPool;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A shop's cart as events, a table of cart totals kept by a projection, and a receipt mailed by a
 * background job: the program of the getting-started guide. It uses {@code jdbc:sqlite:shop.db},
 * or the JDBC URL given as the first argument, and can be run again on the same database.
 */
public final class ShopApp {

  // snippet:events
  sealed interface CartEvent {}

  @EventType("item-added")
  record ItemAdded(String sku, int quantity, BigDecimal price) implements CartEvent {}

  @EventType("checked-out")
  record CheckedOut(String email) implements CartEvent {}
  // end

  // snippet:main
  public static void main(String[] args) throws InterruptedException {
    String url = args.length > 0 ? args[0] : "jdbc:sqlite:shop.db";
    EventTypes types = EventTypes.builder().register(CartEvent.class).build();
    JdbcConfig tables = JdbcConfig.DEFAULT.withMigrateOnOpen(true); // creates or upgrades the tables at open
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT.withEventTypes(types), tables)) {
      fillCart(store);
      printTotal(store);
      checkOut(store);
    }
  }
  // end

  // snippet:append
  /** Puts two items in cart-42 and prints the cart's events. */
  static void fillCart(JdbcEventStore store) {
    // Ids of our own make the append idempotent: when they are stored already (a retry, or a
    // second run), the store returns the first append's result and writes nothing.
    store.append("cart-42", ExpectedVersion.noStream(), List.of(
        EventData.of(new ItemAdded("tea", 2, new BigDecimal("3.50"))).withEventId(eventId("cart-42/1")),
        EventData.of(new ItemAdded("mug", 1, new BigDecimal("8.00"))).withEventId(eventId("cart-42/2"))));

    for (RecordedEvent e : store.readStream("cart-42")) {
      System.out.println("v" + e.streamVersion() + " " + store.types().decode(e));
    }
  }

  /** The same name gives the same id, run after run. */
  static UUID eventId(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
  }
  // end

  // snippet:projection
  /** Brings the cart_totals table up to date with the events, then prints cart-42's total. */
  static void printTotal(JdbcEventStore store) {
    store.jdbi().useHandle(h -> h.execute("CREATE TABLE IF NOT EXISTS cart_totals (cart TEXT PRIMARY KEY, total NUMERIC)"));
    Projection totals = cartTotals(store);
    Projections projections = Projections.open(store);
    try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(totals))) {
      runner.start(); // catches up from its checkpoint, then follows new events until closed
      projections.awaitPosition(totals.id(), store.headPosition(), Duration.ofSeconds(10));
    }
    BigDecimal total = store.jdbi().withHandle(h ->
        h.createQuery("SELECT total FROM cart_totals WHERE cart = 'cart-42'").mapTo(BigDecimal.class).one());
    // SQLite's NUMERIC drops trailing zeros (15), PostgreSQL's keeps them (15.00): print two decimals.
    System.out.println("cart-42 total " + total.setScale(2, RoundingMode.HALF_EVEN));
  }

  /** Adds each item's price to its cart's total; a rebuild empties the table first. */
  static Projection cartTotals(JdbcEventStore store) {
    return Projection.transactional("cart-totals", TransactionalHandler.eachEvent((handle, e) -> {
          if (store.types().decode(e) instanceof ItemAdded item) {
            handle.execute("INSERT INTO cart_totals (cart, total) VALUES (?, ?) "
                + "ON CONFLICT (cart) DO UPDATE SET total = cart_totals.total + excluded.total",
                e.streamId(), item.price().multiply(BigDecimal.valueOf(item.quantity())));
          }
        }))
        .withReset(handle -> handle.execute("DELETE FROM cart_totals")); // without it, a rebuild would count twice
  }
  // end

  // snippet:job
  /** What the receipt job needs to know: its payload, stored as JSON. */
  record Receipt(String cart, String email) {}

  /** Checks cart-42 out, unless it is already, and mails the receipt from a background job. */
  static void checkOut(JdbcEventStore store) throws InterruptedException {
    CountDownLatch mailed = new CountDownLatch(1);
    JobQueue jobs = JobQueue.open(store, JobQueueConfig.DEFAULT);
    jobs.register("send-receipt", ctx -> {
      Receipt receipt = ctx.payload(Receipt.class);
      System.out.println("mailing the receipt of " + receipt.cart() + " to " + receipt.email());
      mailed.countDown();
      return JobResult.success(); // a failure or an exception is retried with backoff
    });
    try (WorkerPool workers = jobs.newWorkerPool(2).start()) {
      List<RecordedEvent> cart = store.readStream("cart-42");
      if (cart.stream().anyMatch(e -> store.types().decode(e) instanceof CheckedOut)) {
        System.out.println("cart-42 was checked out before: no second receipt");
        return;
      }
      // The event and the job commit together or not at all. The expected version is the one we
      // decided on: had another process checked the cart out meanwhile, this append would fail.
      CheckedOut checkout = new CheckedOut("ada@example.com");
      store.inTransaction(tx -> {
        tx.append("cart-42", ExpectedVersion.exactly(cart.size()), List.of(EventData.of(checkout)));
        return jobs.enqueue(tx, JobRequest.of("send-receipt").withPayloadOf(new Receipt("cart-42", checkout.email())));
      });
      if (!mailed.await(10, TimeUnit.SECONDS)) { // wait: closing the pool stops the workers
        throw new IllegalStateException("the receipt was not mailed within 10 seconds");
      }
    }
  }
  // end
}
