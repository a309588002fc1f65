package dev.fabula.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Notification channels: one per store and topic, whatever the schema and prefix look like. */
class ChannelNamesTest {

  private static void assertDistinctValidChannels(String a, String b) {
    String ca = NotificationsImpl.channel(a, "events");
    String cb = NotificationsImpl.channel(b, "events");
    assertThat(ca).as("%s and %s", a, b).isNotEqualTo(cb);
    for (String c : List.of(ca, cb)) {
      assertThat(c).hasSizeLessThanOrEqualTo(63).matches("[a-z_][a-z0-9_]*");
    }
  }

  @Test
  void names_that_read_alike_once_made_identifiers_get_different_channels() {
    assertDistinctValidChannels("a_.b_c_", "a__b.c_");
    assertDistinctValidChannels("\"MyApp\".fabula_", "_myapp_.fabula_");
  }

  @Test
  void long_names_cut_to_63_characters_get_different_channels() {
    String schema = "s".repeat(50);
    assertThat((schema + "Aa").hashCode()).as("the old fallback's hash collides").isEqualTo((schema + "BB").hashCode());
    assertDistinctValidChannels("\"" + schema + "Aa\".fabula_", "\"" + schema + "BB\".fabula_");
    assertDistinctValidChannels(schema + "_1.fabula_", schema + "_2.fabula_");
  }

  @Test
  void topics_of_one_store_get_different_channels_and_the_name_stays_readable() {
    String events = NotificationsImpl.channel("billing.fabula_", "events");
    assertThat(events).startsWith("_billing_fabula_events_");
    assertThat(events).isNotEqualTo(NotificationsImpl.channel("billing.fabula_", "jobs"));
    assertThat(NotificationsImpl.channel("billing.fabula_", "events")).isEqualTo(events);
  }
}
