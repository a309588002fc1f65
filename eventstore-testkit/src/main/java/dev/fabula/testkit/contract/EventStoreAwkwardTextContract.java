package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.Metadata;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamInfo;
import dev.fabula.Streams;
import dev.fabula.testkit.contract.ContractEvents.Note;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Awkward but valid text: any Unicode, SQL metacharacters, quotes, backslashes and {@code LIKE}
 * wildcards in stream ids, type names, payloads, metadata and log filters are stored and read back
 * exactly and never interpreted. Run it with a subclass that implements {@link #openStore}, as for
 * {@link EventStoreAppendContract}.
 */
public abstract class EventStoreAwkwardTextContract extends StoreContractSupport {

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
}
