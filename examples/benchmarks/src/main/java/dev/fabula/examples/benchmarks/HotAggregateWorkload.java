package dev.fabula.examples.benchmarks;

import dev.fabula.Aggregate;
import dev.fabula.AggregateRepository;
import dev.fabula.CommandResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.Decision;
import dev.fabula.EventStoreConfig;
import dev.fabula.RawEvent;
import dev.fabula.RepositoryConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A hot aggregate: {@code threads} threads each send {@code commands} commands to one aggregate,
 * through a repository with the default 10 attempts, in three modes: retries at once (no backoff,
 * the behaviour before retries backed off), jittered backoff (the default), and serialised writers
 * ({@code RepositoryConfig.withSerializedWriters(true)}). For each mode it reports the share of
 * commands accepted, commands per second and attempts per accepted command. Each mode writes a new
 * stream. Runs inside the benchmark app ({@link Benchmarks}), or alone:
 *
 * <pre>
 * mvn -B -q -pl examples/benchmarks -am compile exec:java \
 *     -Dexec.mainClass=dev.fabula.examples.benchmarks.HotAggregateWorkload -Dexec.args="jdbc:sqlite:/tmp/hot.db"
 * </pre>
 */
public final class HotAggregateWorkload {
  /** Threads writing the one aggregate. */
  static final int DEFAULT_THREADS = 16;
  /** Commands per thread and mode. */
  static final int DEFAULT_COMMANDS = 50;

  private HotAggregateWorkload() {}

  /** A counter over raw events, so that the store needs no registered types. */
  static final class Counter implements Aggregate<Long, String, RawEvent> {
    @Override
    public String category() {
      return "hotbench";
    }

    @Override
    public Class<Long> stateType() {
      return Long.class;
    }

    @Override
    public Class<RawEvent> eventType() {
      return RawEvent.class;
    }

    @Override
    public Long initialState() {
      return 0L;
    }

    @Override
    public Decision<RawEvent> decide(Long state, String command) {
      return Decision.accept(new RawEvent("counted", 1, JsonNodeFactory.instance.objectNode().put("n", state + 1)));
    }

    @Override
    public Long evolve(Long state, RawEvent event) {
      return state + 1;
    }
  }

  /** Runs the three modes on {@code store}; result names start with {@code prefix}. */
  static List<Result> run(JdbcEventStore store, String prefix, int threads, int commands) throws Exception {
    List<Result> out = new ArrayList<>();
    mode(store, prefix + ".hot_aggregate.no_backoff", RepositoryConfig.DEFAULT.withRetryBackoff(Duration.ZERO, Duration.ZERO), threads, commands, out);
    mode(store, prefix + ".hot_aggregate.backoff", RepositoryConfig.DEFAULT, threads, commands, out);
    mode(store, prefix + ".hot_aggregate.serialised", RepositoryConfig.DEFAULT.withSerializedWriters(true), threads, commands, out);
    return out;
  }

  private static void mode(JdbcEventStore store, String name, RepositoryConfig config, int threads, int commands,
      List<Result> out) throws Exception {
    AggregateRepository<Long, String, RawEvent> repository = AggregateRepository.of(store, new Counter(), config);
    String id = UUID.randomUUID().toString().replace("-", "");
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[]>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        start.await();
        long accepted = 0;
        long attempts = 0;
        for (int i = 0; i < commands; i++) {
          try {
            CommandResult<RawEvent> result = repository.handle(id, "count");
            accepted++;
            attempts += result.attempts();
          } catch (ConcurrencyException e) {
            // given up after its attempts: counted as not accepted
          }
        }
        return new long[] {accepted, attempts};
      }));
    }
    long began = System.nanoTime();
    start.countDown();
    long accepted = 0;
    long attempts = 0;
    for (Future<long[]> f : futures) {
      long[] r = f.get(10, TimeUnit.MINUTES);
      accepted += r[0];
      attempts += r[1];
    }
    double seconds = (System.nanoTime() - began) / 1e9;
    pool.shutdown();
    int total = threads * commands;
    out.add(Result.of(name + ".accepted_pct", 100.0 * accepted / total, "%"));
    out.add(Result.of(name + ".commands_per_s", accepted / seconds, "commands/s"));
    out.add(Result.of(name + ".attempts_per_command", accepted == 0 ? 0 : (double) attempts / accepted, "attempts"));
  }

  /**
   * Runs the workload alone: {@code <url> [threads] [commands per thread]}, where {@code pg} as the
   * URL starts an embedded PostgreSQL server with the benchmark app's durable settings.
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: HotAggregateWorkload <jdbc-url, or pg for an embedded server> [threads=16] [commands=50]");
      System.exit(2);
    }
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_THREADS;
    int commands = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_COMMANDS;
    String url = args[0];
    if (url.equals("pg")) {
      url = dev.fabula.testkit.postgres.PostgresServer.durable().createDatabase().jdbcUrlWithCredentials();
    }
    String prefix = url.startsWith("jdbc:postgresql:") ? "pg" : "sqlite";
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("hot_").withMaxPoolSize(threads))) {
      Benchmarks.print(run(store, prefix, threads, commands));
    }
  }
}
