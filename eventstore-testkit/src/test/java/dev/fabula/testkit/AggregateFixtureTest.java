package dev.fabula.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.CommandMetadata;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.Rejection;
import dev.fabula.Upcasters;
import dev.fabula.testkit.contract.ConfigValueModel;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigCommand;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigEvent;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigValue;
import dev.fabula.testkit.contract.ConfigValueModel.ConfigValueAggregate;
import dev.fabula.testkit.contract.ConfigValueModel.DeleteValue;
import dev.fabula.testkit.contract.ConfigValueModel.SetValue;
import dev.fabula.testkit.contract.ConfigValueModel.ValueDeleted;
import dev.fabula.testkit.contract.ConfigValueModel.ValueSet;
import org.junit.jupiter.api.Test;

class AggregateFixtureTest {

  // tag::fixture[]
  private final AggregateFixture<ConfigValue, ConfigCommand, ConfigEvent> fixture =
      AggregateFixture.inMemory(new ConfigValueAggregate(), ConfigValueModel.TYPES);

  @Test
  void setting_a_deleted_value_is_rejected() {
    fixture.given(new ValueSet("a", false), new ValueDeleted("a"))
        .when(new SetValue("b"))
        .thenRejected("value-deleted");
  }

  @Test
  void setting_a_value_records_it() {
    fixture.given(new ValueSet("a", false))
        .when(new SetValue("b"))
        .then(new ValueSet("b", false))
        .thenState(new ConfigValue(ConfigValue.Status.SET, "b"));
  }
  // end::fixture[]

  @Test
  void when_without_given_runs_the_command_on_a_new_aggregate() {
    fixture.when(new DeleteValue())
        .thenRejected(new Rejection("value-not-found", "there is no value to delete"));
  }

  @Test
  void then_without_events_expects_an_accepted_command_that_changed_nothing() {
    fixture.given(new ValueSet("a", false)).when(new SetValue("a")).then();
  }

  @Test
  void every_scenario_gets_its_own_aggregate() {
    var first = fixture.given(new ValueSet("a", false));
    var second = fixture.given();

    assertThat(first.id()).isNotEqualTo(second.id());
    second.when(new SetValue("b")).then(new ValueSet("b", false));
  }

  @Test
  void the_command_metadata_given_to_when_reaches_the_events() {
    var then = fixture.given().when(new SetValue("a"), CommandMetadata.of("c-1"));

    assertThat(fixture.store().readStream(fixture.repository().streamId(then.id())).get(0).metadata().causationId())
        .isEqualTo("c-1");
  }

  @Test
  void then_fails_with_a_clear_message_when_the_command_was_rejected() {
    assertThatThrownBy(() -> fixture.given(new ValueSet("a", false), new ValueDeleted("a"))
        .when(new SetValue("b"))
        .then(new ValueSet("b", false)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("accepted").hasMessageContaining("rejected");
  }

  @Test
  void then_fails_when_the_events_differ() {
    assertThatThrownBy(() -> fixture.given().when(new SetValue("a")).then(new ValueSet("other", false)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("other");
  }

  @Test
  void then_rejected_fails_when_the_command_was_accepted_or_rejected_otherwise() {
    assertThatThrownBy(() -> fixture.given().when(new SetValue("a")).thenRejected("value-deleted"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("accepted");
    assertThatThrownBy(() -> fixture.given().when(new DeleteValue()).thenRejected("value-deleted"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("value-not-found");
  }

  @Test
  void a_fixture_runs_on_any_store_such_as_one_with_upcasters() {
    try (EventStore store = EventStore.inMemory(EventStoreConfig.DEFAULT.withEventTypes(ConfigValueModel.TYPES)
        .withUpcasters(Upcasters.of(ConfigValueModel.V1_TO_V2, ConfigValueModel.V2_TO_V3)))) {
      AggregateFixture.of(store, new ConfigValueAggregate())
          .given(new ValueSet("a", false))
          .when(new DeleteValue())
          .then(new ValueDeleted("a"));
    }
  }
}
