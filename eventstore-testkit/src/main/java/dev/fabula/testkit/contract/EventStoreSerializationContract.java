package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.RawEvent;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.UnknownEventTypeException;
import dev.fabula.testkit.contract.ContractEvents.CartCheckedOut;
import dev.fabula.testkit.contract.ContractEvents.CartEvent;
import dev.fabula.testkit.contract.ContractEvents.ItemAdded;
import dev.fabula.testkit.contract.ContractEvents.ItemRemoved;
import dev.fabula.testkit.contract.ContractEvents.NotRegistered;
import dev.fabula.testkit.contract.ContractEvents.Note;
import dev.fabula.testkit.contract.ContractEvents.Numbers;
import dev.fabula.testkit.contract.ContractEvents.Scheduled;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The serialisation contract of an {@link EventStore}: registered events decode to values equal to
 * those appended (dates, times, numbers of every kind), events of unregistered types read back as
 * {@link RawEvent}s, and unregistered classes are refused before anything is stored. Run it with a
 * subclass that implements {@link #openStore}, as for {@link EventStoreAppendContract}.
 */
public abstract class EventStoreSerializationContract extends StoreContractSupport {

  @Test
  void decodes_events_with_java_time_fields_to_equal_values() {
    Scheduled schedule = sampleSchedule();

    store().append("plan-1", ExpectedVersion.any(), List.of(EventData.of(schedule)));

    RecordedEvent stored = store().readStream("plan-1").get(0);
    assertThat(stored.type()).isEqualTo("contract-scheduled");
    assertThat(stored.schemaVersion()).isEqualTo(3);
    assertThat(store().types().decode(stored)).isEqualTo(schedule);
    assertThat(store().types().decode(log(store()).get(0))).isEqualTo(schedule);
  }

  @Test
  void keeps_the_region_zone_of_zoned_date_times() {
    ZonedDateTime inParis = ZonedDateTime.of(2024, 10, 27, 2, 30, 0, 0, ZoneId.of("Europe/Paris"));
    Scheduled schedule = sampleSchedule();
    Scheduled withZone =
        new Scheduled(
            schedule.instant(),
            schedule.day(),
            schedule.time(),
            schedule.local(),
            inParis,
            schedule.offset(),
            schedule.duration(),
            schedule.period(),
            schedule.month(),
            schedule.reference());

    store().append("plan-1", ExpectedVersion.any(), List.of(EventData.of(withZone)));

    Scheduled decoded =
        store().types().decode(store().readStream("plan-1").get(0), Scheduled.class);
    assertThat(decoded.zoned().getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(decoded.zoned().plusHours(1).getOffset())
        .isEqualTo(inParis.plusHours(1).getOffset());
    assertThat(decoded).isEqualTo(withZone);
  }

  @Test
  void decodes_numbers_of_every_kind_to_equal_values() {
    Numbers numbers = ContractChecks.sampleNumbers();

    store().append("numbers-1", ExpectedVersion.any(), List.of(EventData.of(numbers)));

    Numbers decoded = (Numbers) store().types().decode(store().readStream("numbers-1").get(0));
    assertThat(decoded.precise()).isEqualTo(numbers.precise());
    assertThat(decoded.money()).isEqualTo(numbers.money());
    assertThat(decoded.huge()).isEqualTo(numbers.huge());
    assertThat(decoded.large()).isEqualTo(numbers.large());
    assertThat(decoded).isEqualTo(numbers);
  }

  @Test
  void decodes_every_registered_event_of_a_sealed_family() {
    List<CartEvent> events =
        List.of(
            new ItemAdded("sku-1", 2),
            new ItemRemoved("sku-1"),
            new CartCheckedOut(Instant.parse("2024-05-06T07:08:09Z"), new BigDecimal("12.50")));

    store().append("cart-1", ExpectedVersion.any(), events.stream().map(EventData::of).toList());

    assertThat(store().readStream("cart-1"))
        .extracting(e -> store().types().decode(e))
        .containsExactlyElementsOf(events);
    assertThat(store().readStream("cart-1"))
        .extracting(e -> store().types().decode(e, CartEvent.class))
        .as("decoded as the sealed interface")
        .containsExactlyElementsOf(events);
    assertThat(store().readStream("cart-1"))
        .extracting(RecordedEvent::type, RecordedEvent::schemaVersion)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("contract-item-added", 1),
            org.assertj.core.groups.Tuple.tuple("contract-item-removed", 1),
            org.assertj.core.groups.Tuple.tuple("contract-cart-checked-out", 2));
  }

  @Test
  void registering_a_sealed_interface_registers_every_permitted_event_type() {
    EventTypes types = EventTypes.builder().register(CartEvent.class).build();

    assertThat(types.nameOf(ItemAdded.class)).contains("contract-item-added");
    assertThat(types.nameOf(ItemRemoved.class)).contains("contract-item-removed");
    assertThat(types.nameOf(CartCheckedOut.class)).contains("contract-cart-checked-out");
    assertThat(types.classOf("contract-cart-checked-out")).contains(CartCheckedOut.class);
    assertThat(types.nameOf(Note.class)).isEmpty();

    EventStore cartOnly = openFreshStore(c -> c.withEventTypes(types));
    cartOnly.append("cart-1", ExpectedVersion.any(), List.of(EventData.of(new ItemRemoved("x"))));
    assertThat(cartOnly.types().decode(cartOnly.readStream("cart-1").get(0)))
        .isEqualTo(new ItemRemoved("x"));
  }

  @Test
  void reads_events_of_unregistered_types_as_raw_events() {
    ObjectNode payload = store().types().mapper().createObjectNode();
    payload.put("name", "legacy").put("count", 3).put("ratio", 0.5).put("on", true);
    payload.putArray("list").add(1).add("two").addObject().put("three", 3);
    payload.putObject("nested").put("deep", "value");
    payload.putNull("nothing");

    store()
        .append(
            "legacy-1", ExpectedVersion.any(), List.of(EventData.json("legacy-thing", 2, payload)));

    RecordedEvent stored = store().readStream("legacy-1").get(0);
    assertThat(stored.type()).isEqualTo("legacy-thing");
    assertThat(stored.schemaVersion()).isEqualTo(2);
    assertSameJson(stored.payload(), payload);
    assertThat(stored.payload().get("ratio").doubleValue()).isEqualTo(0.5);
    assertThat(stored.payload().get("nothing").isNull()).isTrue();
    assertThat(store().types().decode(stored))
        .isInstanceOfSatisfying(
            RawEvent.class,
            raw -> {
              assertThat(raw.type()).isEqualTo("legacy-thing");
              assertThat(raw.schemaVersion()).isEqualTo(2);
              assertSameJson(raw.payload(), payload);
            });
  }

  @Test
  void reads_events_of_types_unknown_to_the_reader_as_raw_events() {
    EventStore untyped = openFreshStore(c -> c.withEventTypes(EventTypes.none()));
    ObjectNode payload =
        untyped.types().mapper().createObjectNode().put("sku", "sku-1").put("quantity", 2);
    untyped.append(
        "cart-1",
        ExpectedVersion.any(),
        List.of(EventData.json("contract-item-added", 1, payload)));

    Object decoded = untyped.types().decode(untyped.readStream("cart-1").get(0));

    assertThat(decoded)
        .isInstanceOfSatisfying(
            RawEvent.class,
            raw -> {
              assertThat(raw.type()).isEqualTo("contract-item-added");
              assertThat(raw.schemaVersion()).isEqualTo(1);
              assertSameJson(raw.payload(), payload);
            });
    assertThat(untyped.types().decode(untyped.readStream("cart-1").get(0), ItemAdded.class))
        .isEqualTo(new ItemAdded("sku-1", 2));
  }

  @Test
  void raw_events_of_a_registered_type_name_decode_to_the_registered_class() {
    ObjectNode payload = store().types().mapper().createObjectNode().put("text", "from json");

    store()
        .append(
            "note-1", ExpectedVersion.any(), List.of(EventData.json("contract-note", 1, payload)));

    assertThat(store().types().decode(store().readStream("note-1").get(0)))
        .isEqualTo(new Note("from json"));
  }

  @Test
  void rejects_an_event_whose_class_is_not_registered_and_stores_nothing() {
    store().append("cart-1", ExpectedVersion.any(), notes("existing"));
    Snapshot before = snapshot(store(), "cart-1", "cart-2");

    assertThatThrownBy(
            () ->
                store()
                    .append(
                        "cart-1",
                        ExpectedVersion.any(),
                        List.of(note("fine"), EventData.of(new NotRegistered("x")))))
        .isInstanceOf(UnknownEventTypeException.class)
        .hasMessageContaining(NotRegistered.class.getName());
    assertThatThrownBy(
            () ->
                store()
                    .appendAll(
                        List.of(
                            new StreamAppend("cart-2", ExpectedVersion.any(), notes("fine")),
                            new StreamAppend(
                                "cart-1",
                                ExpectedVersion.any(),
                                List.of(EventData.of(new NotRegistered("y")))))))
        .isInstanceOf(UnknownEventTypeException.class);
    assertThatThrownBy(
            () ->
                store()
                    .inTransaction(
                        tx ->
                            tx.append(
                                "cart-2",
                                ExpectedVersion.any(),
                                List.of(EventData.of(UUID.randomUUID())))))
        .isInstanceOf(UnknownEventTypeException.class);

    assertUnchanged(before, store());
  }

  @Test
  void stored_events_are_unaffected_by_later_changes_to_payload_trees() {
    ObjectNode payload = store().types().mapper().createObjectNode().put("value", "original");
    store()
        .append(
            "raw-1", ExpectedVersion.any(), List.of(EventData.json("contract-raw", 1, payload)));

    payload.put("value", "changed by the appender");
    store().readStream("raw-1").get(0).payload().put("value", "changed by a stream reader");
    log(store()).get(0).payload().put("value", "changed by a log reader");

    assertThat(store().readStream("raw-1").get(0).payload().get("value").asText())
        .isEqualTo("original");
    assertThat(log(store()).get(0).payload().get("value").asText()).isEqualTo("original");
  }

  /** A {@link Scheduled} value whose every field is awkward for JSON. */
  static Scheduled sampleSchedule() {
    return new Scheduled(
        Instant.parse("2024-02-29T23:59:59.123456789Z"),
        LocalDate.of(1999, 12, 31),
        LocalTime.of(7, 8, 9, 10_000_000),
        LocalDateTime.of(2038, 1, 19, 3, 14, 8),
        ZonedDateTime.of(2024, 3, 31, 1, 30, 0, 0, ZoneId.of("UTC"))
            .withZoneSameInstant(ZoneId.of("+05:30")),
        OffsetDateTime.parse("2024-06-01T10:00:00-03:00"),
        Duration.ofHours(26).plusMillis(5),
        Period.of(1, 2, 3),
        YearMonth.of(2024, 2),
        UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057"));
  }
}
