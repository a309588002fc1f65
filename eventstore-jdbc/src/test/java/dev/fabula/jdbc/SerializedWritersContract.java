package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.RecordedEvent;
import dev.fabula.testkit.ChildJvm;
import dev.fabula.testkit.contract.StoreContractSupport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Serialised writers across processes: two writer processes ({@link HotAggregateProcess}), each
 * with its own store and pool and 8 threads, send commands to one counter aggregate at once. With
 * {@code RepositoryConfig.withSerializedWriters(true)} every command is decided exactly once (no
 * conflict anywhere) and the counter's events count 1, 2, 3, … without a gap or a repeat; without
 * the option the processes conflict, and the stream is still consistent. That second run is the
 * control (it shows the first run's writers really contend), so it sends fewer commands: 16
 * threads starting at once on one stream conflict from their first attempt, and each further
 * command only adds rounds of conflicts and backoff.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
abstract class SerializedWritersContract {
  private static final int PROCESSES = 2;
  private static final int THREADS = 8;
  private static final int COMMANDS = 6;
  /** Commands per thread in the control run without the option. */
  private static final int CONTROL_COMMANDS = 2;

  /** The JDBC URL of the shared database, with its credentials. */
  protected abstract String url();

  @Test
  void serialised_writers_in_two_processes_all_succeed_at_their_first_attempt() throws Exception {
    String prefix = StoreContractSupport.uniqueTablePrefix();
    Totals totals = runProcesses(prefix, true, COMMANDS);

    assertThat(totals.conflicts()).as("commands given up after conflicts").isZero();
    assertThat(totals.accepted()).as("accepted commands").isEqualTo(PROCESSES * THREADS * COMMANDS);
    assertThat(totals.decides()).as("decisions: one per command, none retried").isEqualTo(PROCESSES * THREADS * COMMANDS);
    assertCounted(prefix, totals.accepted());
  }

  @Test
  void writers_in_two_processes_without_the_option_conflict() throws Exception {
    String prefix = StoreContractSupport.uniqueTablePrefix();
    Totals totals = runProcesses(prefix, false, CONTROL_COMMANDS);

    assertThat(totals.accepted() + totals.conflicts()).isEqualTo(PROCESSES * THREADS * CONTROL_COMMANDS);
    assertThat(totals.decides()).as("decisions: commands retried after conflicts")
        .isGreaterThan(PROCESSES * THREADS * CONTROL_COMMANDS);
    assertCounted(prefix, totals.accepted());
  }

  /** Accepted commands, commands given up after conflicts, and decisions made, over all processes. */
  private record Totals(int accepted, int conflicts, int decides) {}

  private Totals runProcesses(String prefix, boolean serialized, int commands) throws Exception {
    // The tables exist before the writers start, so that no two processes migrate at once.
    JdbcEventStore.open(url(), EventStoreConfig.DEFAULT, TestStores.migrating(prefix)).close();
    List<Process> processes = new ArrayList<>();
    List<String> output = new CopyOnWriteArrayList<>();
    CountDownLatch ready = new CountDownLatch(PROCESSES);
    try {
      for (int p = 0; p < PROCESSES; p++) {
        Process process = new ProcessBuilder(ChildJvm.command(HotAggregateProcess.class, url(), prefix,
            Boolean.toString(serialized), Integer.toString(THREADS), Integer.toString(commands)))
            .redirectErrorStream(true).start();
        processes.add(process);
        Thread reader = new Thread(() -> {
          try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
              output.add(line);
              if (line.equals("READY")) {
                ready.countDown();
              }
            }
          } catch (java.io.IOException e) {
            output.add("reading the process's output failed: " + e);
          }
        });
        reader.setDaemon(true);
        reader.start();
      }
      assertThat(ready.await(90, TimeUnit.SECONDS)).as("every process ready; output: %s", output).isTrue();
      for (Process process : processes) {
        OutputStream go = process.getOutputStream();
        go.write("go\n".getBytes(StandardCharsets.UTF_8));
        go.flush();
      }
      for (Process process : processes) {
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the process finished; output: %s", output).isTrue();
        assertThat(process.exitValue()).as("exit code; output: %s", output).isZero();
      }
    } finally {
      for (Process process : processes) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
    List<String[]> results = output.stream().filter(l -> l.startsWith("RESULT ")).map(l -> l.split(" ")).toList();
    assertThat(results).as("one result per process; output: %s", output).hasSize(PROCESSES);
    return new Totals(results.stream().mapToInt(r -> Integer.parseInt(r[1])).sum(),
        results.stream().mapToInt(r -> Integer.parseInt(r[2])).sum(),
        results.stream().mapToInt(r -> Integer.parseInt(r[3])).sum());
  }

  /** The counter's events count 1 to {@code accepted}, in order: each decided on the state before it. */
  private void assertCounted(String prefix, int accepted) {
    try (JdbcEventStore store = JdbcEventStore.open(url(), EventStoreConfig.DEFAULT.withEventTypes(HotAggregateProcess.TYPES),
        TestStores.migrating(prefix))) {
      List<Long> counts = store.readStream("counter-hot").stream()
          .map(RecordedEvent::payload).map(p -> p.get("count").asLong()).toList();
      assertThat(counts).hasSize(accepted);
      for (int i = 0; i < counts.size(); i++) {
        assertThat(counts.get(i)).as("count of event %d", i + 1).isEqualTo(i + 1);
      }
    }
  }
}
