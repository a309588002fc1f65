package dev.fabula.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.jdbc.JdbcEventStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The read switch on one backend. */
abstract class ReadSwitchContract extends MigrationContract {

  @Test
  void routes_reads_to_legacy_until_flipped_and_back_in_one_step() throws Exception {
    JdbcEventStore store = store();
    // snippet: read-switch
    ReadSwitch readings = ReadSwitch.create(store, "readings", Duration.ofMillis(200));
    String answer = readings.read(() -> "from the legacy table", () -> "from the read model");
    // end snippet
    assertThat(answer).isEqualTo("from the legacy table");
    ReadSwitch otherProcess = ReadSwitch.create(store, "readings", Duration.ofMillis(200));
    assertThat(otherProcess.target()).isEqualTo(ReadTarget.LEGACY);

    readings.set(ReadTarget.READ_MODEL);

    assertThat(readings.target()).isEqualTo(ReadTarget.READ_MODEL);
    Thread.sleep(250); // the other instance's cache expires
    assertThat(otherProcess.read(() -> "legacy", () -> "read model")).isEqualTo("read model");

    otherProcess.set(ReadTarget.LEGACY);
    Thread.sleep(250);
    assertThat(readings.target()).isEqualTo(ReadTarget.LEGACY);
  }
}
