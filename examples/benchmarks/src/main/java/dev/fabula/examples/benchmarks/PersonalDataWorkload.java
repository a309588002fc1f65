package dev.fabula.examples.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.internal.InMemoryKeyStore;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.spi.Appends;
import dev.fabula.spi.KeyStores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The cost of crypto-shredding ({@link PersonalDataPolicy}): single-event appends from one thread,
 * in rounds that alternate between modes on the same tables, each mode's median round compared
 * with the plain store's:
 *
 * <ul>
 *   <li>{@code plain}: a store without personal data (the baseline);
 *   <li>{@code undeclared}: a store with a policy, appending a type without personal fields (the
 *       path that should cost nothing);
 *   <li>{@code sealed}: two personal fields per event, subjects drawn from 100 whose keys are
 *       cached (the steady state);
 *   <li>{@code new_subject}: two personal fields, a new subject per event (a key row inserted per
 *       append).
 * </ul>
 *
 * Then the global log read with every payload parsed, plain events against sealed ones, and the
 * store's own CPU time per event without the database (serialising an append, and opening one).
 *
 * <pre>
 * mvn -B -q -pl examples/benchmarks -am compile exec:java \
 *     -Dexec.mainClass=dev.fabula.examples.benchmarks.PersonalDataWorkload -Dexec.args="jdbc:sqlite:/tmp/pd.db 500 8"
 * </pre>
 *
 * <p>Arguments: a JDBC URL (or {@code pg} for an embedded durable PostgreSQL server), appends per
 * round (500) and rounds per mode (8).
 */
public final class PersonalDataWorkload {
  private PersonalDataWorkload() {}

  static final PersonalDataPolicy POLICY = PersonalDataPolicy.builder().declare("customer", "/id", "/email", "/name").build();
  private static final String[] MODES = {"plain", "undeclared", "sealed", "new_subject"};

  /** Runs the rounds on {@code url}; result names start with {@code prefix}. */
  static List<Result> run(String url, String prefix, int appends, int rounds) {
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("pd_");
    try (JdbcEventStore plain = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, jdbc);
        JdbcEventStore personal = JdbcEventStore.open(url, EventStoreConfig.DEFAULT.withPersonalData(POLICY), jdbc)) {
      double[][] rates = new double[MODES.length][rounds];
      for (int m = 0; m < MODES.length; m++) {
        round(m == 0 ? plain : personal, MODES[m], "warmup", appends); // JIT, pool and key cache warm-up
      }
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < MODES.length; i++) {
          int m = (i + r) % MODES.length; // rotate the order, so no mode always runs first
          rates[m][r] = round(m == 0 ? plain : personal, MODES[m], "r" + r, appends);
        }
      }
      List<Result> out = new ArrayList<>();
      double base = median(rates[0]);
      for (int m = 0; m < MODES.length; m++) {
        double rate = median(rates[m]);
        out.add(Result.of(prefix + ".personal_data.append_t1." + MODES[m] + ".appends_per_s", rate, "appends/s"));
        if (m > 0) {
          out.add(Result.of(prefix + ".personal_data.append_t1." + MODES[m] + ".overhead_pct", (base - rate) / base * 100, "%"));
        }
      }
      double[] plainReads = new double[rounds];
      double[] sealedReads = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        plainReads[r] = readRate(plain, "plain");
        sealedReads[r] = readRate(personal, "sealed");
      }
      double plainRead = median(plainReads);
      double sealedRead = median(sealedReads);
      out.add(Result.of(prefix + ".personal_data.read_all.plain.events_per_s", plainRead, "events/s"));
      out.add(Result.of(prefix + ".personal_data.read_all.sealed.events_per_s", sealedRead, "events/s"));
      out.add(Result.of(prefix + ".personal_data.read_all.sealed.overhead_pct", (plainRead - sealedRead) / plainRead * 100, "%"));
      out.addAll(ownCost(prefix));
      return out;
    }
  }

  private static ObjectNode customer(String id, int n) {
    return JsonNodeFactory.instance.objectNode().put("id", id).put("email", "customer" + n + "@example.com")
        .put("name", "Customer Number " + n).put("plan", "gold").put("n", n);
  }

  private static EventData event(String mode, String round, int i) {
    return switch (mode) {
      case "plain", "undeclared" -> EventData.json("customer-plain", 1, customer("c" + i % 100, i));
      case "sealed" -> EventData.json("customer", 1, customer("c" + i % 100, i));
      default -> EventData.json("customer", 1, customer(round + "-" + i, i));
    };
  }

  /** Appends {@code n} single-event streams in one mode; appends per second. */
  private static double round(JdbcEventStore store, String mode, String round, int n) {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      store.append(mode + "-" + round + "-" + i, ExpectedVersion.noStream(), List.of(event(mode, round, i)));
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  /** Reads the global log's events of one mode, parsing every payload; events per second. */
  private static double readRate(JdbcEventStore store, String mode) {
    String type = mode.equals("plain") ? "customer-plain" : "customer";
    long start = System.nanoTime();
    long count = 0;
    try (Stream<RecordedEvent> events = store.readAll(LogQuery.all().types(java.util.Set.of(type)))) {
      for (RecordedEvent e : (Iterable<RecordedEvent>) events::iterator) {
        count += e.payload().size();
      }
    }
    long n = count / 5;
    return n / ((System.nanoTime() - start) / 1e9);
  }

  /** The store's own CPU time per event: serialising a sealed append against a plain one, keys cached in memory. */
  private static List<Result> ownCost(String prefix) {
    EventStoreConfig plain = EventStoreConfig.DEFAULT;
    EventStoreConfig sealed = KeyStores.resolve(EventStoreConfig.DEFAULT.withPersonalData(POLICY), InMemoryKeyStore::new);
    int calls = 100_000;
    double plainNs = 0;
    double sealedNs = 0;
    for (int pass = 0; pass < 3; pass++) { // two warm-up passes, the third timed
      plainNs = prepareNanos(plain, "customer-plain", calls);
      sealedNs = prepareNanos(sealed, "customer", calls);
    }
    return List.of(
        Result.of(prefix + ".personal_data.prepare.plain_ns_per_event", plainNs, "ns"),
        Result.of(prefix + ".personal_data.prepare.sealed_ns_per_event", sealedNs, "ns"));
  }

  private static double prepareNanos(EventStoreConfig config, String type, int calls) {
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      Appends.prepare(config, null, List.of(new StreamAppend("s-" + i, ExpectedVersion.any(),
          List.of(EventData.json(type, 1, customer("c" + i % 100, i))))));
    }
    return (System.nanoTime() - start) / (double) calls;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Runs the workload alone: {@code <url or pg> [appends per round=500] [rounds=8]}. */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: PersonalDataWorkload <jdbc-url, or pg for an embedded server> [appends=500] [rounds=8]");
      System.exit(2);
    }
    String url = args[0];
    int appends = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    if (url.equals("pg")) {
      url = dev.fabula.testkit.postgres.PostgresServer.durable().createDatabase().jdbcUrlWithCredentials();
    }
    Benchmarks.print(run(url, url.startsWith("jdbc:postgresql:") ? "pg" : "sqlite", appends, rounds));
  }
}
