package dev.fabula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.example.ConfigService;
import dev.fabula.example.ConfigValues;
import dev.fabula.example.ConfigValues.ConfigCommand;
import dev.fabula.example.ConfigValues.ConfigEvent;
import dev.fabula.example.ConfigValues.ConfigValue;
import dev.fabula.example.ConfigValues.ConfigValueAggregate;
import dev.fabula.example.ConfigValues.DeleteValue;
import dev.fabula.example.ConfigValues.SetValue;
import dev.fabula.example.ConfigValues.ValueSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimeTravelTest {

  private static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");

  private final TestClock clock = new TestClock(T0);
  private final EventStore store =
      EventStore.inMemory(EventStoreConfig.DEFAULT.withEventTypes(ConfigValues.TYPES).withClock(clock));
  private final AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> values =
      AggregateRepository.of(store, new ConfigValueAggregate());

  @AfterEach
  void close() {
    store.close();
  }

  /** Sets a, b, c one hour apart, from T0 on. */
  private void threeValuesAnHourApart() {
    for (String value : List.of("a", "b", "c")) {
      values.handle("db-url", new SetValue(value));
      clock.advance(Duration.ofHours(1));
    }
  }

  @Test
  void an_aggregate_loads_as_of_a_stream_version() {
    threeValuesAnHourApart();

    AggregateState<ConfigValue> second = values.loadAtVersion("db-url", 2);

    assertThat(second.state().value()).isEqualTo("b");
    assertThat(second.version()).isEqualTo(2);
    assertThat(values.loadAtVersion("db-url", 0).state()).isEqualTo(ConfigValue.ABSENT);
  }

  @Test
  void loading_as_of_a_version_the_stream_has_not_reached_is_refused() {
    threeValuesAnHourApart();

    assertThatThrownBy(() -> values.loadAtVersion("db-url", 4))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("version 4").hasMessageContaining("at version 3");
  }

  @Test
  void an_aggregate_loads_as_of_a_timestamp() {
    threeValuesAnHourApart();

    AggregateState<ConfigValue> atHalfPastTen = values.loadAsOf("db-url", Instant.parse("2024-03-01T10:30:00Z"));

    assertThat(atHalfPastTen.state().value()).isEqualTo("b");
    assertThat(atHalfPastTen.version()).isEqualTo(2);
    assertThat(values.loadAsOf("db-url", T0.plusSeconds(3600)).state().value()).as("inclusive").isEqualTo("b");
    assertThat(values.loadAsOf("db-url", T0.minusSeconds(1)).version()).isZero();
    assertThat(values.loadAsOf("db-url", T0.plus(Duration.ofDays(1))).state().value()).isEqualTo("c");
  }

  @Test
  void the_history_of_an_aggregate_lists_every_event_with_its_time_and_the_state_after_it() {
    threeValuesAnHourApart();

    List<HistoryEntry<ConfigValue, ConfigEvent>> history = values.history("db-url");

    assertThat(history).extracting(HistoryEntry::version).containsExactly(1L, 2L, 3L);
    assertThat(history).extracting(HistoryEntry::recordedAt).containsExactly(T0, T0.plusSeconds(3600), T0.plusSeconds(7200));
    assertThat(history).extracting(HistoryEntry::event).containsExactly(
        new ValueSet("a", false), new ValueSet("b", false), new ValueSet("c", false));
    assertThat(history).extracting(h -> h.state().value()).containsExactly("a", "b", "c");
  }

  @Test
  void the_config_service_offers_history_and_value_at_an_instant() {
    ConfigService service = new ConfigService(store, RepositoryConfig.DEFAULT);
    service.set("db-url", "jdbc:sqlite:old.db");
    clock.advance(Duration.ofDays(1));
    service.set("db-url", "jdbc:postgresql://db/app");
    clock.advance(Duration.ofDays(1));
    service.delete("db-url");

    assertThat(service.history("db-url")).containsExactly(
        new ConfigService.Change(T0, 1, Optional.of("jdbc:sqlite:old.db")),
        new ConfigService.Change(T0.plus(Duration.ofDays(1)), 2, Optional.of("jdbc:postgresql://db/app")),
        new ConfigService.Change(T0.plus(Duration.ofDays(2)), 3, Optional.empty()));
    assertThat(service.valueAt("db-url", T0.plus(Duration.ofHours(36)))).hasValue("jdbc:postgresql://db/app");
    assertThat(service.valueAt("db-url", T0.minusSeconds(1))).isEmpty();
    assertThat(service.value("db-url")).isEmpty();
    assertThat(service.delete("db-url").rejection()).map(Rejection::code).hasValue("value-not-found");
  }

  @Test
  void the_history_of_an_unknown_aggregate_is_empty() {
    assertThat(values.history("nothing")).isEmpty();
    assertThat(values.loadAsOf("nothing", T0).version()).isZero();
    values.handle("db-url", new DeleteValue());
    assertThat(values.history("db-url")).isEmpty();
  }
}
