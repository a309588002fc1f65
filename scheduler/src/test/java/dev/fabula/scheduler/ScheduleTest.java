package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Occurrences of schedules, without a database. */
class ScheduleTest {

  private static List<Instant> occurrences(Schedule s, String from, int n) {
    List<Instant> out = new ArrayList<>();
    Instant t = Instant.parse(from);
    for (int i = 0; i < n; i++) {
      t = s.nextAfter(t).orElseThrow();
      out.add(t);
    }
    return out;
  }

  @Test
  void every_runs_at_multiples_of_the_interval_since_the_epoch() {
    assertThat(occurrences(Schedule.every(Duration.ofMinutes(15)), "2025-01-06T10:07:00Z", 3)).containsExactly(
        Instant.parse("2025-01-06T10:15:00Z"), Instant.parse("2025-01-06T10:30:00Z"), Instant.parse("2025-01-06T10:45:00Z"));
  }

  @Test
  void daily_at_a_local_time_follows_the_zone_offset_across_the_year() {
    Schedule s = Schedule.dailyAt(LocalTime.of(9, 0)).inZone("Europe/Berlin");
    assertThat(occurrences(s, "2025-03-29T12:00:00Z", 2))
        .containsExactly(Instant.parse("2025-03-30T07:00:00Z"), Instant.parse("2025-03-31T07:00:00Z"));
    assertThat(s.nextAfter(Instant.parse("2025-03-29T07:00:00Z"))).contains(Instant.parse("2025-03-29T08:00:00Z"));
  }

  @Test
  void a_time_in_the_spring_forward_gap_runs_when_the_gap_ends_or_is_skipped() {
    Schedule shift = Schedule.dailyAt(LocalTime.of(2, 30)).inZone("America/New_York");
    assertThat(occurrences(shift, "2025-03-08T12:00:00Z", 2))
        .containsExactly(Instant.parse("2025-03-09T07:00:00Z"), Instant.parse("2025-03-10T06:30:00Z"));
    Schedule skip = shift.withDstPolicy(DstPolicy.SKIP);
    assertThat(occurrences(skip, "2025-03-08T12:00:00Z", 1)).containsExactly(Instant.parse("2025-03-10T06:30:00Z"));
  }

  @Test
  void a_time_repeated_by_fall_back_runs_once_at_the_first_instant() {
    Schedule s = Schedule.dailyAt(LocalTime.of(1, 30)).inZone("America/New_York");
    assertThat(occurrences(s, "2025-11-01T12:00:00Z", 2))
        .containsExactly(Instant.parse("2025-11-02T05:30:00Z"), Instant.parse("2025-11-03T06:30:00Z"));
    assertThat(s.nextAfter(Instant.parse("2025-11-02T06:00:00Z"))).contains(Instant.parse("2025-11-03T06:30:00Z"));
  }

  @Test
  void cron_in_a_zone_handles_both_daylight_saving_changes() {
    Schedule s = Schedule.cron("*/30 1-3 * * *").inZone("America/New_York");
    assertThat(occurrences(s, "2025-03-09T05:50:00Z", 4)).containsExactly(
        Instant.parse("2025-03-09T06:00:00Z"), Instant.parse("2025-03-09T06:30:00Z"), // 01:00, 01:30 EST
        Instant.parse("2025-03-09T07:00:00Z"), // 02:00, 02:30 do not exist: once, at 03:00 EDT
        Instant.parse("2025-03-09T07:30:00Z"));
    assertThat(occurrences(s, "2025-11-02T04:50:00Z", 4)).containsExactly(
        Instant.parse("2025-11-02T05:00:00Z"), Instant.parse("2025-11-02T05:30:00Z"), // 01:00, 01:30 EDT
        Instant.parse("2025-11-02T07:00:00Z"), Instant.parse("2025-11-02T07:30:00Z")); // 02:00 EST: no second 01:xx
  }

  @Test
  void weekly_and_once() {
    Schedule weekly = Schedule.weeklyAt(DayOfWeek.MONDAY, LocalTime.of(8, 0));
    assertThat(occurrences(weekly, "2025-01-06T08:00:00Z", 2))
        .containsExactly(Instant.parse("2025-01-13T08:00:00Z"), Instant.parse("2025-01-20T08:00:00Z"));
    Schedule once = Schedule.once(Instant.parse("2025-01-06T08:00:00Z"));
    assertThat(once.nextAfter(Instant.parse("2025-01-06T07:00:00Z"))).contains(Instant.parse("2025-01-06T08:00:00Z"));
    assertThat(once.nextAfter(Instant.parse("2025-01-06T08:00:00Z"))).isEmpty();
  }

  @Test
  void stored_recurrences_read_back_equal() {
    for (Schedule s : List.of(Schedule.every(Duration.ofHours(2)), Schedule.dailyAt(LocalTime.of(2, 30)),
        Schedule.weeklyAt(DayOfWeek.FRIDAY, LocalTime.of(17, 45)), Schedule.cron("0 6 * * 1-5"),
        Schedule.once(Instant.parse("2025-01-06T08:00:00Z")))) {
      assertThat(Schedule.parse(s.recurrence().kind(), s.recurrence().text())).isEqualTo(s.recurrence());
    }
  }

  @Test
  void the_default_backoff_is_60_120_240_seconds_and_a_cap_holds() {
    assertThat(List.of(1, 2, 3).stream().map(RetryPolicy.DEFAULT::delayAfter).toList())
        .containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(240));
    assertThat(RetryPolicy.DEFAULT.withMaxDelay(Duration.ofSeconds(100)).delayAfter(3)).isEqualTo(Duration.ofSeconds(100));
    assertThat(RetryPolicy.DEFAULT.maxAttempts()).isEqualTo(4);
  }
}
