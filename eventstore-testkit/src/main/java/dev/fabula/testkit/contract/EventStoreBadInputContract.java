package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.Metadata;
import dev.fabula.RawEvent;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.Streams;
import dev.fabula.testkit.contract.ContractEvents.Bare;
import dev.fabula.testkit.contract.ContractEvents.Note;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The input contract of an {@link EventStore}: malformed input fails with a clear exception (an
 * {@link InvalidInputException} whose message names the problem) and changes nothing already
 * stored, while awkward but valid input (any Unicode text, SQL metacharacters, quotes, backslashes,
 * {@code LIKE} wildcards) is stored and read back exactly and is never interpreted. Run it with a
 * subclass that implements {@link #openStore}, as for {@link EventStoreAppendContract}.
 */
public abstract class EventStoreBadInputContract extends StoreContractSupport {

  /** The stream that valid-looking but rejected appends target; it must stay absent. */
  private static final String TARGET = "target-1";

  /** Streams whose state every rejection test compares before and after. */
  private static final String[] WATCHED = {"seed-1", "seed-2", "seed-3", TARGET};

  /** Texts that break naive handling of Unicode. */
  private static final List<String> UNICODE =
      List.of(
          "café-ünïcödé-ñ-Ærøskøbing",
          "注文-東京-一二三",
          "emoji-😀-🎉-👨\u200D👩\u200D👧-🏳️\u200D🌈",
          "שלום-עולם",
          "مرحبا-بالعالم",
          "bidi-\u200Fmark-\u202Eoverride\u202C",
          "e\u0301-combining-accent",
          "math-𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
          "\uFEFFbom-at-start",
          "ελληνικά-русский-हिन्दी");

  /** Texts that break SQL or {@code LIKE} built by concatenation, or naive escaping. */
  private static final List<String> SQL_METACHARACTERS =
      List.of(
          "'; DROP TABLE x; --",
          "quote-'single'-''",
          "dq-\"double\"-\"\"",
          "bs-\\back\\\\slash\\",
          "pct-100%",
          "us-a_b_",
          "semi-;;",
          "dollar-$1-$$-${prefix}",
          "qmark-?-??",
          "colon-:stream_id-::text",
          "star-*",
          "json-{\"a\":[1,\"b\"]}",
          "tick-`x`",
          "comment-/*c*/-#",
          "escape-\\0-\\x00-\\u0000-\\n");

  // ---- Stream ids

  @Test
  void rejects_a_null_stream_id() {
    for (ThrowingCallable call : usesOfStreamId(null)) {
      assertRejected(call, InvalidInputException.class, "stream id", "null");
    }
  }

  @Test
  void rejects_a_blank_stream_id() {
    for (String blank : List.of("", " ", "    ")) {
      for (ThrowingCallable call : usesOfStreamId(blank)) {
        assertRejected(call, InvalidInputException.class, "stream id", "blank");
      }
    }
  }

  @Test
  void rejects_a_stream_id_longer_than_256_characters() {
    String tooLong = "long-" + "x".repeat(252);
    assertThat(tooLong).hasSize(257);

    for (ThrowingCallable call : usesOfStreamId(tooLong)) {
      assertRejected(call, InvalidInputException.class, "stream id", "257", "256");
    }
  }

  @Test
  void accepts_stream_ids_of_256_characters() {
    List<String> ids = List.of("long-" + "x".repeat(251), "注".repeat(256), "😀".repeat(128));

    for (String id : ids) {
      assertThat(id).hasSize(256);
      store().append(id, ExpectedVersion.noStream(), notes(id.substring(0, 4)));
      assertThat(store().readStream(id)).extracting(RecordedEvent::streamId).containsExactly(id);
      assertThat(store().streamInfo(id).map(StreamInfo::streamId)).contains(id);
    }
    assertThat(log(store())).extracting(RecordedEvent::streamId).containsExactlyElementsOf(ids);
  }

  @Test
  void rejects_stream_ids_with_control_characters() {
    List<String> ids =
        List.of(
            "a\nb",
            "a\rb",
            "a\u0000b",
            "a\tb",
            "a\u001Bb",
            "a\u007Fb",
            "a\u0085b",
            "\nleading",
            "trailing\u0007");
    for (String id : ids) {
      for (ThrowingCallable call : usesOfStreamId(id)) {
        assertRejected(call, InvalidInputException.class, "stream id", "control character");
      }
    }
  }

  /** Every call that takes a stream id, with {@code streamId}. */
  private List<ThrowingCallable> usesOfStreamId(String streamId) {
    EventStore s = store();
    return List.of(
        () -> s.append(streamId, ExpectedVersion.any(), notes("x")),
        () -> s.appendAll(List.of(new StreamAppend(streamId, ExpectedVersion.any(), notes("x")))),
        () ->
            s.appendAll(
                List.of(
                    new StreamAppend(TARGET, ExpectedVersion.any(), notes("x")),
                    new StreamAppend(streamId, ExpectedVersion.any(), notes("y")))),
        () -> s.inTransaction(tx -> tx.append(streamId, ExpectedVersion.any(), notes("x"))),
        () -> s.forTenant("acme").append(streamId, ExpectedVersion.any(), notes("x")),
        () -> s.readStream(streamId),
        () -> s.readStream(streamId, StreamRead.backwards().limit(1)),
        () -> s.streamInfo(streamId),
        () -> s.deleteStream(streamId, ExpectedVersion.any()),
        () -> s.hardDeleteStream(streamId));
  }

  // ---- Batches

  @Test
  void rejects_an_empty_batch() {
    assertRejected(
        () -> store().append(TARGET, ExpectedVersion.any(), List.of()),
        InvalidInputException.class,
        "empty",
        "at least one");
    assertRejected(() -> store().appendAll(List.of()), InvalidInputException.class, "at least one");
    assertRejected(
        () ->
            store()
                .appendAll(
                    List.of(
                        new StreamAppend("seed-1", ExpectedVersion.any(), notes("x")),
                        new StreamAppend(TARGET, ExpectedVersion.any(), List.of()))),
        InvalidInputException.class,
        "empty",
        TARGET);
    assertRejected(
        () -> store().inTransaction(tx -> tx.append(TARGET, ExpectedVersion.any(), List.of())),
        InvalidInputException.class,
        "empty");
  }

  @Test
  void rejects_a_null_list_of_events() {
    assertRejected(
        () -> store().append(TARGET, ExpectedVersion.any(), null),
        InvalidInputException.class,
        "must not be null");
    assertRejected(() -> store().appendAll(null), InvalidInputException.class, "at least one");
    assertRejected(
        () -> new StreamAppend(TARGET, ExpectedVersion.any(), null),
        InvalidInputException.class,
        "must not be null");
  }

  @Test
  void rejects_a_null_event_in_a_batch() {
    List<EventData> withNull = Arrays.asList(note("a"), null);

    assertRejected(
        () -> store().append(TARGET, ExpectedVersion.any(), withNull),
        InvalidInputException.class,
        "must not be null");
    assertRejected(
        () ->
            store()
                .appendAll(
                    Arrays.asList(
                        new StreamAppend(TARGET, ExpectedVersion.any(), notes("a")), null)),
        InvalidInputException.class,
        "must not be null");
    assertRejected(
        () -> new EventData(null, new Note("x"), Metadata.EMPTY),
        InvalidInputException.class,
        "must not be null");
    assertRejected(
        () -> new EventData(java.util.UUID.randomUUID(), null, Metadata.EMPTY),
        InvalidInputException.class,
        "must not be null");
  }

  @Test
  void rejects_a_null_expected_version() {
    assertRejected(
        () -> store().append(TARGET, null, notes("x")),
        InvalidInputException.class,
        "expected version");
    assertRejected(
        () -> store().deleteStream("seed-1", null),
        InvalidInputException.class,
        "expected version");
  }

  @Test
  void rejects_duplicate_event_ids_within_one_append() {
    EventData event = note("a");
    EventData sameId = EventData.of(new Note("b")).withEventId(event.eventId());

    assertRejected(
        () -> store().append(TARGET, ExpectedVersion.any(), List.of(event, sameId)),
        InvalidInputException.class,
        "twice",
        event.eventId().toString());
    assertRejected(
        () -> store().append(TARGET, ExpectedVersion.any(), List.of(event, event)),
        InvalidInputException.class,
        "twice");
    assertRejected(
        () ->
            store()
                .appendAll(
                    List.of(
                        new StreamAppend(TARGET, ExpectedVersion.any(), List.of(event)),
                        new StreamAppend("target-2", ExpectedVersion.any(), List.of(sameId)))),
        InvalidInputException.class,
        "twice");
    assertThat(store().streamInfo("target-2")).isEmpty();
  }

  @Test
  void rejects_the_same_stream_twice_in_one_append_all() {
    assertRejected(
        () ->
            store()
                .appendAll(
                    List.of(
                        new StreamAppend(TARGET, ExpectedVersion.any(), notes("a")),
                        new StreamAppend(TARGET, ExpectedVersion.any(), notes("b")))),
        InvalidInputException.class,
        "twice",
        TARGET);
  }

  @Test
  void rejects_a_batch_over_the_batch_limit() {
    assertRejected(
        () -> store().append(TARGET, ExpectedVersion.any(), notes("n", 10_001)),
        InvalidInputException.class,
        "10001",
        "10000");
  }

  // ---- Payloads

  @Test
  void rejects_a_payload_that_is_not_a_json_object() {
    assertRejected(
        () ->
            store()
                .append(
                    TARGET,
                    ExpectedVersion.any(),
                    List.of(EventData.of(new Bare("just a string")))),
        InvalidInputException.class,
        "JSON object");
    assertRejected(
        () ->
            store()
                .append(
                    TARGET,
                    ExpectedVersion.any(),
                    List.of(EventData.of(new RawEvent("contract-raw", 1, null)))),
        InvalidInputException.class,
        "JSON object");
  }

  @Test
  void rejects_a_payload_larger_than_the_configured_limit() {
    EventStore small = openFreshStore(c -> c.withMaxPayloadBytes(1024));
    // {"text":"…"} is 11 bytes plus the text's UTF-8 bytes.
    small.append("fits-1", ExpectedVersion.any(), notes("x".repeat(1013)));
    small.append("fits-2", ExpectedVersion.any(), notes("é".repeat(506)));
    small.append("fits-3", ExpectedVersion.any(), notes("😀".repeat(253)));

    assertRejected(
        small,
        () -> small.append(TARGET, ExpectedVersion.any(), notes("x".repeat(1014))),
        InvalidInputException.class,
        "1025",
        "1024");
    assertRejected(
        small,
        () -> small.append(TARGET, ExpectedVersion.any(), notes("é".repeat(507))),
        InvalidInputException.class,
        "1024");
    assertRejected(
        small,
        () ->
            small.append(
                TARGET, ExpectedVersion.any(), List.of(note("ok"), note("😀".repeat(254)))),
        InvalidInputException.class,
        "1024");
    assertThat(texts(small, small.readStream("fits-1")).get(0)).hasSize(1013);
    assertThat(texts(small, small.readStream("fits-3")).get(0)).isEqualTo("😀".repeat(253));
  }

  @Test
  void rejects_a_nul_character_in_a_payload() {
    ObjectNode nulValue = store().types().mapper().createObjectNode();
    nulValue.putObject("nested").put("value", "a\u0000b");
    ObjectNode nulKey = store().types().mapper().createObjectNode().put("key\u0000", "v");

    assertRejected(
        () -> store().append(TARGET, ExpectedVersion.any(), notes("a\u0000b")),
        InvalidInputException.class,
        "NUL");
    assertRejected(
        () ->
            store()
                .append(
                    TARGET,
                    ExpectedVersion.any(),
                    List.of(EventData.json("contract-raw", 1, nulValue))),
        InvalidInputException.class,
        "NUL");
    assertRejected(
        () ->
            store()
                .append(
                    TARGET,
                    ExpectedVersion.any(),
                    List.of(EventData.json("contract-raw", 1, nulKey))),
        InvalidInputException.class,
        "NUL");
  }

  @Test
  void stores_text_that_merely_looks_like_an_escaped_nul() {
    List<String> texts = List.of("\\u0000", "C:\\u0000dir", "\\\\u0000", "\\\\\\u0000x", "u0000");

    store()
        .append(
            TARGET, ExpectedVersion.any(), texts.stream().map(StoreContractSupport::note).toList());

    assertThat(texts(store(), store().readStream(TARGET))).containsExactlyElementsOf(texts);
  }

  @Test
  void rejects_a_nul_character_in_metadata() {
    Map<String, Metadata> cases =
        Map.of(
            "correlationId", Metadata.EMPTY.withCorrelationId("c\u0000"),
            "causationId", Metadata.EMPTY.withCausationId("\u0000"),
            "actor", Metadata.EMPTY.withActor("user\u0000"),
            "entry key", Metadata.EMPTY.with("k\u0000", "v"),
            "entry 'k'", Metadata.EMPTY.with("k", "v\u0000"));
    cases.forEach(
        (field, metadata) ->
            assertRejected(
                () ->
                    store()
                        .append(
                            TARGET,
                            ExpectedVersion.any(),
                            List.of(note("a").withMetadata(metadata))),
                InvalidInputException.class,
                "NUL",
                field));
  }

  @Test
  void rejects_oversized_metadata() {
    Map<String, String> big = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      big.put("key-" + i, "v".repeat(4_000));
    }

    assertRejected(
        () ->
            store()
                .append(
                    TARGET,
                    ExpectedVersion.any(),
                    List.of(note("a").withMetadata(Metadata.EMPTY.withActor("a".repeat(4_097))))),
        InvalidInputException.class,
        "actor",
        "4097",
        "4096");
    assertRejected(
        () ->
            store()
                .append(
                    TARGET,
                    ExpectedVersion.any(),
                    List.of(note("a").withMetadata(new Metadata(null, null, null, null, big)))),
        InvalidInputException.class,
        "metadata",
        "limit");
  }

  @Test
  void rejects_invalid_event_type_names_and_schema_versions() {
    ObjectNode payload = store().types().mapper().createObjectNode().put("a", 1);

    assertRejected(
        () ->
            store().append(TARGET, ExpectedVersion.any(), List.of(EventData.json("", 1, payload))),
        InvalidInputException.class,
        "type name",
        "blank");
    assertRejected(
        () ->
            store()
                .append(TARGET, ExpectedVersion.any(), List.of(EventData.json(null, 1, payload))),
        InvalidInputException.class,
        "type name",
        "null");
    assertRejected(
        () ->
            store()
                .append(
                    TARGET,
                    ExpectedVersion.any(),
                    List.of(EventData.json("t".repeat(201), 1, payload))),
        InvalidInputException.class,
        "type name",
        "200");
    assertRejected(
        () ->
            store()
                .append(
                    TARGET,
                    ExpectedVersion.any(),
                    List.of(EventData.json("bad\ntype", 1, payload))),
        InvalidInputException.class,
        "type name",
        "control character");
    assertRejected(
        () ->
            store()
                .append(
                    TARGET,
                    ExpectedVersion.any(),
                    List.of(EventData.json("contract-raw", 0, payload))),
        InvalidInputException.class,
        "schema version");

    store()
        .append(
            TARGET, ExpectedVersion.any(), List.of(EventData.json("t".repeat(200), 1, payload)));
    assertThat(store().readStream(TARGET).get(0).type()).isEqualTo("t".repeat(200));
  }

  @Test
  void rejects_invalid_read_delete_tenant_and_transaction_arguments() {
    assertRejected(() -> store().readStream("seed-1", null), InvalidInputException.class, "read");
    assertRejected(() -> store().readAll(null), InvalidInputException.class, "query");
    assertRejected(
        () -> store().inTransaction(null), InvalidInputException.class, "must not be null");
    assertRejected(() -> store().forTenant(null), InvalidInputException.class, "tenant id", "null");
    assertRejected(() -> store().forTenant(" "), InvalidInputException.class, "tenant id", "blank");
    assertRejected(
        () -> store().forTenant("ac\nme"),
        InvalidInputException.class,
        "tenant id",
        "control character");
    assertRejected(() -> ExpectedVersion.exactly(-1), InvalidInputException.class, "-1");
    assertRejected(() -> StreamRead.forwards().limit(0), InvalidInputException.class, "limit");
    assertRejected(() -> StreamRead.forwards().from(-1), InvalidInputException.class, "-1");
    assertRejected(() -> LogQuery.after(-1), InvalidInputException.class, "-1");
    assertRejected(() -> LogQuery.all().limit(0), InvalidInputException.class, "limit");
  }

  // ---- Unicode

  @Test
  void round_trips_non_ascii_text_in_stream_ids_type_names_payloads_and_metadata() {
    assertRoundTrips(UNICODE);
  }

  @Test
  void filters_the_log_by_non_ascii_categories_and_types() {
    store().append("注文-1", ExpectedVersion.any(), List.of(raw("événement-😀", "a")));
    store().append("注文書-1", ExpectedVersion.any(), List.of(raw("événement", "b")));
    store().append("café-1", ExpectedVersion.any(), List.of(raw("événement-😀", "c")));

    assertThat(payloadValues(log(store(), LogQuery.all().categories(Set.of("注文")))))
        .containsExactly("a");
    assertThat(payloadValues(log(store(), LogQuery.all().types(Set.of("événement-😀")))))
        .containsExactly("a", "c");
    assertThat(payloadValues(log(store(), LogQuery.all().categories(Set.of("cafe"))))).isEmpty();
  }

  @Test
  void stream_ids_that_differ_in_case_normalisation_or_spacing_are_different_streams() {
    List<String> ids =
        List.of("café-1", "cafe\u0301-1", "CAFÉ-1", "Café-1", "café-1 ", " café-1", "café-1\u00A0");
    for (String id : ids) {
      store().append(id, ExpectedVersion.noStream(), notes(id));
    }

    for (String id : ids) {
      assertThat(texts(store(), store().readStream(id))).as("stream '%s'", id).containsExactly(id);
      assertThat(store().streamInfo(id).map(StreamInfo::version)).contains(1L);
    }
    assertThat(log(store())).extracting(RecordedEvent::streamId).containsExactlyElementsOf(ids);
  }

  // ---- SQL metacharacters

  @Test
  void round_trips_sql_metacharacters_in_stream_ids_type_names_payloads_and_metadata() {
    assertRoundTrips(SQL_METACHARACTERS);
    store().append("after-1", ExpectedVersion.noStream(), notes("store still works"));
    assertThat(store().readStream("after-1")).hasSize(1);
  }

  @Test
  void treats_like_wildcards_and_escapes_in_ids_and_filters_literally() {
    List<String> ids =
        List.of(
            "a_c-1",
            "abc-1",
            "100%-1",
            "100x-1",
            "back\\slash-1",
            "backslash-1",
            "star*-1",
            "starry-1");
    for (String id : ids) {
      store()
          .append(id, ExpectedVersion.noStream(), List.of(raw("type-" + Streams.category(id), id)));
    }

    for (String id : ids) {
      assertThat(payloadValues(store().readStream(id))).as("stream '%s'", id).containsExactly(id);
      assertThat(
              payloadValues(log(store(), LogQuery.all().categories(Set.of(Streams.category(id))))))
          .as("category of '%s'", id)
          .containsExactly(id);
      assertThat(
              payloadValues(
                  log(store(), LogQuery.all().types(Set.of("type-" + Streams.category(id))))))
          .as("type of '%s'", id)
          .containsExactly(id);
    }
    assertThat(log(store(), LogQuery.all().categories(Set.of("%")))).isEmpty();
    assertThat(log(store(), LogQuery.all().categories(Set.of("___")))).isEmpty();
    assertThat(log(store(), LogQuery.all().types(Set.of("type-%")))).isEmpty();
    assertThat(store().readStream("%")).isEmpty();
    assertThat(store().streamInfo("a%")).isEmpty();
  }

  // ---- Helpers

  /**
   * Appends, for every text, a registered and a raw event to the stream named by the text, with the
   * text in the type name, payload (as value and as key) and every metadata field; then reads
   * everything back three ways and compares exactly.
   */
  private void assertRoundTrips(List<String> texts) {
    for (String text : texts) {
      Metadata metadata =
          Metadata.EMPTY
              .withCorrelationId(text)
              .withCausationId("cause " + text)
              .withActor(text)
              .with(text, text)
              .with("plain", text);
      ObjectNode payload =
          store().types().mapper().createObjectNode().put("value", text).put(text, text);
      payload.putArray("list").add(text);
      store()
          .append(
              text,
              ExpectedVersion.noStream(),
              List.of(
                  EventData.of(new Note(text)).withMetadata(metadata),
                  EventData.json("type " + text, 1, payload).withMetadata(metadata)));
    }

    for (String text : texts) {
      List<RecordedEvent> events = store().readStream(text);
      assertThat(events).as("stream '%s'", text).hasSize(2);
      assertThat(events).extracting(RecordedEvent::streamId).containsOnly(text);
      assertThat(store().types().decode(events.get(0))).isEqualTo(new Note(text));
      assertThat(events.get(1).type()).isEqualTo("type " + text);
      assertThat(events.get(1).payload().get("value").asText()).isEqualTo(text);
      assertThat(events.get(1).payload().get(text).asText()).isEqualTo(text);
      assertThat(events.get(1).payload().get("list").get(0).asText()).isEqualTo(text);
      for (RecordedEvent e : events) {
        assertThat(e.metadata().correlationId()).isEqualTo(text);
        assertThat(e.metadata().causationId()).isEqualTo("cause " + text);
        assertThat(e.metadata().actor()).isEqualTo(text);
        assertThat(e.metadata().entries()).isEqualTo(Map.of(text, text, "plain", text));
      }
      assertThat(store().streamInfo(text)).contains(new StreamInfo(text, 2, null, false));
      assertThat(log(store(), LogQuery.all().types(Set.of("type " + text))))
          .as("log filtered by type 'type %s'", text)
          .containsExactly(events.get(1));
      assertThat(log(store(), LogQuery.all().categories(Set.of(Streams.category(text)))))
          .as("log filtered by category '%s'", Streams.category(text))
          .containsExactlyElementsOf(events);
    }
    List<RecordedEvent> log = log(store());
    List<String> expectedStreams = new ArrayList<>();
    texts.forEach(t -> expectedStreams.addAll(List.of(t, t)));
    assertThat(log).extracting(RecordedEvent::streamId).containsExactlyElementsOf(expectedStreams);
  }

  private EventData raw(String type, String value) {
    return EventData.json(type, 1, store().types().mapper().createObjectNode().put("value", value));
  }

  private static List<String> payloadValues(List<RecordedEvent> events) {
    return events.stream().map(e -> e.payload().get("value").asText()).toList();
  }

  private void assertRejected(
      ThrowingCallable call, Class<? extends Throwable> type, String... fragments) {
    assertRejected(store(), call, type, fragments);
  }

  /**
   * Asserts that {@code call} fails with {@code type}, that the message mentions every fragment
   * (ignoring case), and that {@code store}, seeded with a few events first, did not change.
   */
  private static void assertRejected(
      EventStore store,
      ThrowingCallable call,
      Class<? extends Throwable> type,
      String... fragments) {
    seed(store);
    Snapshot before = snapshot(store, WATCHED);
    assertThatThrownBy(call)
        .isInstanceOf(type)
        .satisfies(
            e -> {
              for (String fragment : fragments) {
                assertThat(e.getMessage()).containsIgnoringCase(fragment);
              }
            });
    assertUnchanged(before, store);
  }

  private static void seed(EventStore store) {
    if (store.streamInfo("seed-1").isEmpty()) {
      store.append("seed-1", ExpectedVersion.noStream(), notes("s1", "s2"));
      store.append("seed-2", ExpectedVersion.noStream(), List.of(item("sku", 1)));
      store.forTenant("acme").append("seed-3", ExpectedVersion.noStream(), notes("t1"));
    }
  }
}
