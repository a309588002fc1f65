package dev.fabula.jdbc;

import dev.fabula.Aggregate;
import dev.fabula.AggregateRepository;
import dev.fabula.CommandResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.Decision;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.RepositoryConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A writer process for {@link SerializedWritersContract}: opens its own store (its own pool) on a
 * shared database, prints {@code READY}, waits for a line on its standard input (so that every
 * process starts at once), then sends commands from several threads to one counter aggregate and
 * prints {@code RESULT accepted conflicts decides}.
 */
public final class HotAggregateProcess {
  private HotAggregateProcess() {}

  /** Increments the counter. */
  public record Increment() {}

  /** The counter's event: its new count, decided from the state it was decided on. */
  @EventType("counted")
  public record Counted(long count) {}

  /** The event types of the counter. */
  static final EventTypes TYPES = EventTypes.builder().register(Counted.class).build();

  /** A counter whose every command counts one more, and counts how often it decided. */
  static final class Counter implements Aggregate<Long, Increment, Counted> {
    final AtomicInteger decides = new AtomicInteger();

    @Override
    public String category() {
      return "counter";
    }

    @Override
    public Class<Long> stateType() {
      return Long.class;
    }

    @Override
    public Class<Counted> eventType() {
      return Counted.class;
    }

    @Override
    public Long initialState() {
      return 0L;
    }

    @Override
    public Long evolve(Long state, Counted event) {
      return event.count();
    }

    @Override
    public Decision<Counted> decide(Long state, Increment command) {
      decides.incrementAndGet();
      return Decision.accept(new Counted(state + 1));
    }
  }

  /**
   * Arguments: the JDBC URL, the table prefix, whether writers are serialised, the number of
   * threads and the number of commands per thread.
   */
  public static void main(String[] args) throws Exception {
    String url = args[0];
    boolean serialized = Boolean.parseBoolean(args[2]);
    int threads = Integer.parseInt(args[3]);
    int commands = Integer.parseInt(args[4]);
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT.withEventTypes(TYPES),
        TestStores.migrating(args[1]).withMaxPoolSize(threads))) {
      Counter counter = new Counter();
      AggregateRepository<Long, Increment, Counted> repository = AggregateRepository.of(store, counter,
          RepositoryConfig.DEFAULT.withSerializedWriters(serialized).withMaxAttempts(1_000));
      System.out.println("READY");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger conflicts = new AtomicInteger();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < commands; i++) {
            try {
              CommandResult<Counted> result = repository.handle("hot", new Increment());
              if (result.accepted()) {
                accepted.incrementAndGet();
              }
            } catch (ConcurrencyException e) {
              conflicts.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
      pool.shutdown();
      System.out.println("RESULT " + accepted.get() + " " + conflicts.get() + " " + counter.decides.get());
      System.out.flush();
    }
  }
}
