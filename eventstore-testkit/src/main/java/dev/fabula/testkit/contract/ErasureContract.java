package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.DataSubject;
import dev.fabula.Erasure;
import dev.fabula.ErasureRecord;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.PersonalData;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.RecordedEvent;
import dev.fabula.RetentionPolicy;
import dev.fabula.StreamDeletedException;
import dev.fabula.StreamInfo;
import dev.fabula.testkit.TableScan;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Erasure of everything derived ({@link EventStore#erase}) on one backend: after erasing a stream
 * or a subject, no byte of its data is readable through the store's API, nor, on a database
 * backend, by a raw scan of every table the database's catalogue lists ({@link TableScan}); the
 * same stream ids and subjects of another tenant stay byte for byte as they were (the masking bug
 * Marten had: an UPDATE without the tenant predicate); an erased stream stays deleted under the
 * keyed hash its tombstone keeps; erasure records name no target.
 *
 * <p>A backend implements {@link #openStore}, and {@link #tableScan} when it keeps tables.
 */
public abstract class ErasureContract extends StoreContractSupport {

  /** A customer registered: email and name personal, the id names the subject. */
  @EventType("er-customer-registered")
  public record Registered(@DataSubject String customerId, @PersonalData String email, @PersonalData String name, String note) {}

  /** The types of this contract. */
  public static final EventTypes TYPES = EventTypes.builder().register(Registered.class).register(ContractEvents.Note.class).build();
  /** The policy of this contract. */
  public static final PersonalDataPolicy POLICY = PersonalDataPolicy.builder().register(Registered.class).build();

  /** The raw scan of the backend's database, or null for a backend without tables (in memory). */
  protected abstract @Nullable TableScan tableScan();

  private EventStore personalStore() {
    return openFreshStore(c -> c.withEventTypes(TYPES).withPersonalData(POLICY));
  }

  private static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static EventData registered(String subject, String email, String name, String note) {
    return EventData.of(new Registered(subject, email, name, note));
  }

  /** Every cell holding a secret must be the other tenant's, else the test fails naming it. */
  private void assertOnlyIn(@Nullable String allowedTenant, String... secrets) {
    TableScan scan = tableScan();
    if (scan == null) {
      return;
    }
    assertThat(scan.find(secrets))
        .as("cells still holding erased data")
        .allSatisfy(hit -> assertThat(hit.tenantId()).as(hit.toString()).isNotNull().isEqualTo(allowedTenant));
  }

  private List<TableScan.Hit> hits(String... secrets) {
    TableScan scan = tableScan();
    return scan == null ? List.of() : scan.find(secrets);
  }

  private static List<String> everything(EventStore store) {
    try (Stream<RecordedEvent> all = store.readAll(LogQuery.all())) {
      return all.map(e -> e.streamId() + " " + e.payload() + " " + e.metadata()).toList();
    }
  }

  @Test
  void erasing_a_stream_leaves_no_byte_of_it_anywhere_and_the_other_tenant_byte_for_byte_unchanged() {
    EventStore root = personalStore();
    String id = unique();
    String stream = "customer-" + id + "@example.com";
    String email = "mail-" + id + "@example.com";
    String note = "note-" + id;
    EventStore acme = root.forTenant("acme");
    EventStore globex = root.forTenant("globex");
    for (EventStore tenant : List.of(acme, globex)) {
      tenant.append(stream, ExpectedVersion.noStream(), List.of(
          registered("c-" + id, email, "Name " + id, note), EventData.json("er-note", 1, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("text", note))));
    }
    List<RecordedEvent> globexBefore = globex.readStream(stream);
    List<TableScan.Hit> globexRowsBefore = hits(stream, email, note).stream().filter(h -> "globex".equals(h.tenantId())).toList();

    ErasureRecord record = acme.erase(Erasure.stream(stream).by("ops:test"));

    assertThat(record.kind()).isEqualTo(Erasure.Kind.STREAM);
    assertThat(record.tenantId()).isEqualTo("acme");
    assertThat(record.counts()).containsEntry("events", 2L);
    assertThat(record.targetHash()).doesNotContain(id);
    assertThat(acme.streamInfo(stream)).hasValueSatisfying(i -> assertThat(i.deleted()).isTrue());
    assertThatThrownBy(() -> acme.readStream(stream)).isInstanceOf(StreamDeletedException.class);
    assertThat(everything(acme)).noneMatch(s -> s.contains(id));
    assertThat(everything(root)).allSatisfy(s -> assertThat(s).doesNotContain("acme"));
    // The other tenant: the same stream id, every event and every stored row as before.
    assertThat(globex.readStream(stream)).isEqualTo(globexBefore);
    assertThat(globex.readStream(stream).get(0).payload().toString()).contains(email);
    assertThat(hits(stream, email, note)).containsExactlyInAnyOrderElementsOf(globexRowsBefore);
    assertOnlyIn("globex", stream, email, note, "Name " + id);
  }

  @Test
  void an_erased_stream_stays_deleted_under_its_hash_and_erasing_again_erases_nothing() {
    EventStore store = personalStore();
    String stream = "customer-" + unique();
    store.append(stream, ExpectedVersion.noStream(), notes("a", "b"));
    store.erase(Erasure.stream(stream).by("ops:test"));

    assertThatThrownBy(() -> store.append(stream, ExpectedVersion.noStream(), notes("c"))).isInstanceOf(StreamDeletedException.class);
    assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), notes("c"))).isInstanceOf(StreamDeletedException.class);
    assertThatThrownBy(() -> store.appendAll(List.of(
            new dev.fabula.StreamAppend(stream, ExpectedVersion.any(), notes("c")),
            new dev.fabula.StreamAppend(stream + "-other", ExpectedVersion.any(), notes("d")))))
        .isInstanceOf(StreamDeletedException.class);
    assertThat(store.streamInfo(stream + "-other")).isEmpty();
    assertThatThrownBy(() -> store.inTransaction(tx -> tx.append(stream, ExpectedVersion.noStream(), notes("c"))))
        .isInstanceOf(StreamDeletedException.class);
    assertThatThrownBy(() -> store.deleteStream(stream, ExpectedVersion.any())).isInstanceOf(StreamDeletedException.class);
    store.hardDeleteStream(stream);
    assertThat(store.streamInfo(stream)).map(StreamInfo::deleted).contains(true);
    ErasureRecord again = store.erase(Erasure.stream(stream).by("ops:test"));
    assertThat(again.counts()).containsEntry("events", 0L);
    assertThat(store.erasuresOf(Erasure.stream(stream))).hasSize(2);
    // The same id in another tenant is a stream of its own.
    store.forTenant("other").append(stream, ExpectedVersion.noStream(), notes("fine"));
    assertThat(store.forTenant("other").readStream(stream)).hasSize(1);
    assertOnlyIn("other", stream);
  }

  @Test
  void hard_delete_keeps_no_stream_id_in_its_tombstone() {
    EventStore store = personalStore();
    String stream = "customer-" + unique() + "@example.com";
    store.append(stream, ExpectedVersion.noStream(), notes("x"));
    store.hardDeleteStream(stream);
    assertThat(store.streamInfo(stream)).map(StreamInfo::deleted).contains(true);
    assertThatThrownBy(() -> store.append(stream, ExpectedVersion.any(), notes("y"))).isInstanceOf(StreamDeletedException.class);
    assertThat(hits(stream)).isEmpty();
  }

  @Test
  void stream_ids_that_look_like_tombstones_are_refused() {
    EventStore store = personalStore();
    assertThatThrownBy(() -> store.append("$erased:abc", ExpectedVersion.any(), notes("x")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("reserved");
  }

  @Test
  void erasing_a_subject_shreds_its_fields_everywhere_and_leaves_other_subjects_and_tenants_alone() {
    EventStore root = personalStore();
    String id = unique();
    String subject = "c-" + id;
    String email = "mail-" + id + "@example.com";
    String name = "Name " + id;
    EventStore acme = root.forTenant("acme");
    EventStore globex = root.forTenant("globex");
    for (EventStore tenant : List.of(acme, globex)) {
      tenant.append("customer-" + id, ExpectedVersion.noStream(), List.of(registered(subject, email, name, "kept")));
      tenant.append("orders-" + id, ExpectedVersion.noStream(), List.of(registered(subject, email, name, "second stream")));
      tenant.append("customer-other-" + id, ExpectedVersion.noStream(), List.of(registered("d-" + id, "d-" + email, "D " + name, "other")));
    }
    List<RecordedEvent> globexBefore = globex.readStream("customer-" + id);

    ErasureRecord record = acme.erase(Erasure.subject(subject).by("dpo:ticket-1"));

    assertThat(record.kind()).isEqualTo(Erasure.Kind.SUBJECT);
    assertThat(record.counts()).containsEntry("keys", 1L);
    for (String s : List.of("customer-" + id, "orders-" + id)) {
      Registered read = acme.types().decode(acme.readStream(s).get(0), Registered.class);
      assertThat(read.email()).isNull();
      assertThat(read.name()).isNull();
      assertThat(read.customerId()).isEqualTo(subject);
    }
    assertThat(everything(acme)).noneMatch(s -> s.contains(email) && !s.contains("d-" + email) || s.contains("\"" + name));
    Registered other = acme.types().decode(acme.readStream("customer-other-" + id).get(0), Registered.class);
    assertThat(other.email()).isEqualTo("d-" + email);
    assertThat(globex.readStream("customer-" + id)).isEqualTo(globexBefore);
    assertThat(globex.types().decode(globex.readStream("orders-" + id).get(0), Registered.class).email()).isEqualTo(email);
    // Stored: ciphertext only, whose key is gone; no plaintext copy anywhere.
    assertOnlyIn(null, email, name);
  }

  @Test
  void a_subject_is_erased_after_retention_truncated_its_stream() {
    EventStore acme = personalStore().forTenant("acme");
    String id = unique();
    String subject = "c-" + id;
    acme.append("customer-" + id, ExpectedVersion.noStream(), List.of(
        registered(subject, "a-" + id + "@example.com", "A", "first"), registered(subject, "b-" + id + "@example.com", "B", "last")));
    acme.retention().apply(RetentionPolicy.keepLast(1).forStream("customer-" + id));

    ErasureRecord record = acme.erase(Erasure.subject(subject).by("dpo:ticket-2"));

    assertThat(record.counts()).containsEntry("keys", 1L);
    Registered read = acme.types().decode(acme.readStream("customer-" + id).get(0), Registered.class);
    assertThat(read.note()).isEqualTo("last");
    assertThat(read.email()).isNull();
  }

  @Test
  void erasure_records_name_no_target_and_stay_in_their_tenant() {
    EventStore root = personalStore();
    String stream = "customer-" + unique() + "@example.com";
    EventStore acme = root.forTenant("acme");
    acme.append(stream, ExpectedVersion.noStream(), notes("x"));
    ErasureRecord record = acme.erase(Erasure.stream(stream).by("ops:jane"));

    assertThat(acme.erasures()).containsExactly(record);
    assertThat(acme.erasuresOf(Erasure.stream(stream))).containsExactly(record);
    assertThat(acme.erasuresOf(Erasure.subject(stream))).isEmpty();
    assertThat(root.forTenant("globex").erasures()).isEmpty();
    assertThat(root.forTenant("globex").erasuresOf(Erasure.stream(stream))).isEmpty();
    assertThat(root.erasures()).isEmpty();
    assertThat(record.requestedBy()).isEqualTo("ops:jane");
    assertThat(record.toString()).doesNotContain(stream);
    assertThat(Erasure.stream(stream).toString()).doesNotContain(stream);
    assertThat(hits(stream)).isEmpty();
  }

  @Test
  void a_subject_erasure_needs_personal_data() {
    EventStore store = store();
    assertThatThrownBy(() -> store.erase(Erasure.subject("c1").by("ops"))).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Erasure.stream("s").by(" ")).isInstanceOf(InvalidInputException.class);
  }
}
