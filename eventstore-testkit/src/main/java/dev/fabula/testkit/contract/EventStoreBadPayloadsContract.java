package dev.fabula.testkit.contract;

import static dev.fabula.testkit.contract.BadInputChecks.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.Metadata;
import dev.fabula.RawEvent;
import dev.fabula.StreamRead;
import dev.fabula.testkit.contract.ContractEvents.Bare;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Malformed payloads and arguments: payloads that are not JSON objects or are over the limit, NUL
 * characters, oversized metadata, invalid type names and schema versions, and invalid read, delete,
 * tenant and transaction arguments each fail with a clear exception and change nothing already
 * stored. Run it with a subclass that implements {@link #openStore}, as for {@link
 * EventStoreAppendContract}.
 */
public abstract class EventStoreBadPayloadsContract extends StoreContractSupport {

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

  // ---- Helpers

  /** Asserts a rejection on this test's main store: see {@link BadInputChecks#assertRejected}. */
  private void assertRejected(
      ThrowingCallable call, Class<? extends Throwable> type, String... fragments) {
    BadInputChecks.assertRejected(store(), call, type, fragments);
  }

  /** Asserts a rejection on {@code store}: see {@link BadInputChecks#assertRejected}. */
  private static void assertRejected(
      EventStore store,
      ThrowingCallable call,
      Class<? extends Throwable> type,
      String... fragments) {
    BadInputChecks.assertRejected(store, call, type, fragments);
  }
}
