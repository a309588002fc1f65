package dev.fabula.examples.configservice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventTypes;
import dev.fabula.examples.configservice.ConfigCommand.DeleteValue;
import dev.fabula.examples.configservice.ConfigCommand.SetValue;
import dev.fabula.examples.configservice.ConfigEvent.ValueCreated;
import dev.fabula.examples.configservice.ConfigEvent.ValueDeleted;
import dev.fabula.examples.configservice.ConfigEvent.ValueUpdated;
import dev.fabula.testkit.AggregateFixture;
import org.junit.jupiter.api.Test;

/** The rules of one config value, given / when / then, through a real repository in memory. */
class ConfigAggregateTest {

  private final AggregateFixture<ConfigState, ConfigCommand, ConfigEvent> fixture = AggregateFixture.inMemory(
      new ConfigAggregate(), EventTypes.builder().register(ConfigEvent.class).build());

  private static JsonNode text(String value) {
    return JsonNodeFactory.instance.textNode(value);
  }

  private static SetValue set(String value) {
    return new SetValue("n", text(value), Precondition.NONE);
  }

  @Test
  void setting_a_name_never_set_creates_it() {
    fixture.given().when(set("a")).then(new ValueCreated("n", text("a")))
        .thenState(new ConfigState(ConfigState.Status.SET, text("a"), 1));
  }

  @Test
  void setting_an_existing_value_updates_it_with_the_old_value() {
    fixture.given(new ValueCreated("n", text("a"))).when(set("b")).then(new ValueUpdated("n", text("a"), text("b")));
  }

  @Test
  void setting_the_same_value_changes_nothing() {
    fixture.given(new ValueCreated("n", text("a"))).when(set("a")).then();
  }

  @Test
  void a_deleted_value_cannot_be_set_until_it_is_created_again() {
    fixture.given(new ValueCreated("n", text("a")), new ValueDeleted("n", text("a")))
        .when(set("b")).thenRejected(ConfigAggregate.VALUE_DELETED);
    fixture.given(new ValueCreated("n", text("a")), new ValueDeleted("n", text("a")))
        .when(new SetValue("n", text("b"), Precondition.ABSENT)).then(new ValueCreated("n", text("b")))
        .thenState(new ConfigState(ConfigState.Status.SET, text("b"), 3));
  }

  @Test
  void creating_requires_that_there_is_no_current_value() {
    fixture.given(new ValueCreated("n", text("a")))
        .when(new SetValue("n", text("b"), Precondition.ABSENT)).thenRejected(ConfigAggregate.VALUE_EXISTS);
    fixture.given().when(new SetValue("n", text("b"), Precondition.ABSENT)).then(new ValueCreated("n", text("b")));
  }

  @Test
  void only_a_current_value_can_be_deleted() {
    fixture.given().when(new DeleteValue("n", Precondition.NONE)).thenRejected(ConfigAggregate.VALUE_NOT_FOUND);
    fixture.given(new ValueCreated("n", text("a")), new ValueDeleted("n", text("a")))
        .when(new DeleteValue("n", Precondition.NONE)).thenRejected(ConfigAggregate.VALUE_NOT_FOUND);
    fixture.given(new ValueCreated("n", text("a")), new ValueUpdated("n", text("a"), text("b")))
        .when(new DeleteValue("n", Precondition.NONE)).then(new ValueDeleted("n", text("b")))
        .thenState(new ConfigState(ConfigState.Status.DELETED, null, 3));
  }

  @Test
  void a_version_precondition_must_name_the_current_version() {
    fixture.given(new ValueCreated("n", text("a")))
        .when(new SetValue("n", text("b"), Precondition.atVersion(0))).thenRejected(ConfigAggregate.VERSION_MISMATCH);
    fixture.given(new ValueCreated("n", text("a")))
        .when(new SetValue("n", text("b"), Precondition.atVersion(1))).then(new ValueUpdated("n", text("a"), text("b")));
    fixture.given(new ValueCreated("n", text("a")))
        .when(new DeleteValue("n", Precondition.atVersion(2))).thenRejected(ConfigAggregate.VERSION_MISMATCH);
    fixture.given().when(new SetValue("n", text("a"), Precondition.atVersion(0))).then(new ValueCreated("n", text("a")));
  }

  @Test
  void values_of_any_json_shape_round_trip_through_the_store() {
    JsonNode object = JsonNodeFactory.instance.objectNode().put("pool", 20).put("ratio", new java.math.BigDecimal("0.50"));
    var then = fixture.given().when(new SetValue("n", object, Precondition.NONE)).then(new ValueCreated("n", object));

    // then(...) compares JSON numbers by value (0.5 equals 0.50): check the scale of what came back.
    var stored = fixture.store().readStream(fixture.repository().streamId(then.id())).get(0);
    assertThat(stored.payload().at("/value/ratio").decimalValue()).as("the stored payload").hasToString("0.50");
    ValueCreated decoded = fixture.store().types().decode(stored, ValueCreated.class);
    assertThat(decoded.value().get("ratio").decimalValue()).as("the decoded event").hasToString("0.50");
    assertThat(decoded.value().get("pool").isIntegralNumber()).isTrue();
    assertThat(then.state().state().value().get("ratio").decimalValue()).as("the loaded state").hasToString("0.50");
  }

  @Test
  void a_state_without_value_survives_a_snapshot_round_trip() throws Exception {
    // Jackson reads a null JsonNode property as NullNode; the state normalises it back to null.
    var mapper = EventTypes.defaultMapper();
    ConfigState deleted = new ConfigState(ConfigState.Status.DELETED, null, 3);
    assertThat(mapper.readValue(mapper.writeValueAsString(deleted), ConfigState.class)).isEqualTo(deleted);
  }
}
