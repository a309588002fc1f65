package dev.fabula.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.jdbc.JdbcEventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The read switch on one backend. */
abstract class ReadSwitchContract extends MigrationContract {

  @Test
  void routes_reads_to_legacy_until_flipped_and_back_in_one_step() {
    TestClock clock = new TestClock();
    JdbcEventStore store = store(clock);
    // snippet: read-switch
    ReadSwitch readings = ReadSwitch.open(store, "readings", Duration.ofMillis(200));
    String answer = readings.read(() -> "from the legacy table", () -> "from the read model");
    // end snippet
    assertThat(answer).isEqualTo("from the legacy table");
    ReadSwitch otherProcess = ReadSwitch.open(store, "readings", Duration.ofMillis(200));
    assertThat(otherProcess.target()).isEqualTo(ReadTarget.LEGACY);

    readings.set(ReadTarget.READ_MODEL);

    assertThat(readings.target()).isEqualTo(ReadTarget.READ_MODEL);
    clock.advance(Duration.ofMillis(199));
    assertThat(otherProcess.target()).as("within its cache time").isEqualTo(ReadTarget.LEGACY);
    clock.advance(Duration.ofMillis(1));
    assertThat(otherProcess.read(() -> "legacy", () -> "read model")).isEqualTo("read model");

    otherProcess.set(ReadTarget.LEGACY);
    clock.advance(Duration.ofMillis(200));
    assertThat(readings.target()).isEqualTo(ReadTarget.LEGACY);
  }

  /** A clock the test moves by hand. */
  private static final class TestClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-05T10:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("a fixed-zone test clock");
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
