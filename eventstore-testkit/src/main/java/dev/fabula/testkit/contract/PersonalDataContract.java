package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.fabula.testkit.contract.PersonalDataFixtures.POLICY;
import static dev.fabula.testkit.contract.PersonalDataFixtures.TYPES;
import static dev.fabula.testkit.contract.PersonalDataFixtures.alice;
import static dev.fabula.testkit.contract.PersonalDataFixtures.bob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.AggregateRepository;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.LogQuery;
import dev.fabula.PersonalData;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.RawEvent;
import dev.fabula.RecordedEvent;
import dev.fabula.Upcaster;
import dev.fabula.Upcasters;
import dev.fabula.testkit.contract.PersonalDataFixtures.CustomerRegistered;
import dev.fabula.testkit.contract.PersonalDataFixtures.CustomerRenamed;
import dev.fabula.testkit.contract.PersonalDataFixtures.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Crypto-shredding on one backend ({@link PersonalDataPolicy}): personal fields round-trip, are
 * stored encrypted (the subclass scans what the backend stores), read as null everywhere once the
 * subject is forgotten, stay confined to their tenant, and resist ciphertext moved by someone with
 * write access to the tables.
 *
 * <p>The events, types and policy are {@link PersonalDataFixtures}. A backend implements {@link #openStore} and the scans: {@link #storedText} (everything the
 * store keeps of its events and keys, as text) and {@link #keyVersions}; a database backend also
 * {@link #copyStoredPayload}.
 */
public abstract class PersonalDataContract extends StoreContractSupport {

  /**
   * Everything the backend stores for {@code store} (its root) that could hold personal data, as
   * text: every stored payload and every key row (key bytes as hex), by a direct scan of storage,
   * not through the store's API.
   */
  protected abstract List<String> storedText(EventStore store);

  /** How many key versions the backend keeps for the subject in the tenant's namespace (null: none). */
  protected abstract int keyVersions(EventStore store, @Nullable String tenant, String subject);

  /**
   * Overwrites the stored payload of the event at position {@code to} with the stored payload of the
   * event at position {@code from}, as an attacker with write access to the tables would. Backends
   * without such access skip the test (the default).
   */
  protected void copyStoredPayload(EventStore store, long from, long to) {
    org.junit.jupiter.api.Assumptions.abort("this backend has no tables to tamper with");
  }

  /** A new store with this contract's types and policy. */
  protected final EventStore personalStore() {
    return openFreshStore(c -> c.withEventTypes(TYPES).withPersonalData(POLICY));
  }

  private static <T> T decoded(EventStore store, RecordedEvent e, Class<T> type) {
    return store.types().decode(e, type);
  }

  private static List<RecordedEvent> all(EventStore store) {
    try (Stream<RecordedEvent> s = store.readAll(LogQuery.all())) {
      return s.toList();
    }
  }

  @Test
  public void personal_fields_round_trip_through_stream_and_log_reads() {
    EventStore store = personalStore();
    store.append("customer-alice", ExpectedVersion.noStream(), List.of(EventData.of(alice()), EventData.of(new CustomerRenamed("alice", "Alice Martin"))));
    List<RecordedEvent> stream = store.readStream("customer-alice");
    assertThat(decoded(store, stream.get(0), CustomerRegistered.class)).isEqualTo(alice());
    assertThat(decoded(store, stream.get(1), CustomerRenamed.class)).isEqualTo(new CustomerRenamed("alice", "Alice Martin"));
    assertThat(all(store)).extracting(RecordedEvent::payload).containsExactly(stream.get(0).payload(), stream.get(1).payload());
    assertThat(store.readAll(LogQuery.all().types(java.util.Set.of("pd-customer-renamed"))).toList())
        .singleElement().extracting(e -> e.payload().get("name").asText()).isEqualTo("Alice Martin");
  }

  @Test
  public void stored_payloads_and_key_rows_hold_no_personal_value() {
    EventStore store = personalStore();
    store.append("customer-alice", ExpectedVersion.noStream(), List.of(EventData.of(alice())));
    ObjectNode signup = signup("carol", "carol@example.com");
    store.append("signup-carol", ExpectedVersion.noStream(), List.of(EventData.json("pd-signup", 1, signup)));
    List<String> stored = storedText(store);
    assertThat(stored).isNotEmpty();
    String everything = String.join("\n", stored);
    assertThat(everything).doesNotContain("alice@example.com", "Rue Secrète", "Lyon", "carol@example.com", "+33 6");
    assertThat(everything).contains("fabula:pd");
    // The subject stays readable: it is how the key is found.
    assertThat(everything).contains("alice");
    assertThat(store.readStream("signup-carol").get(0).payload()).isEqualTo(signup);
  }

  private static ObjectNode signup(String id, String email) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.putObject("user").put("id", id).put("email", email);
    payload.putArray("phones").add("+33 6 12 34 56 78");
    payload.put("source", "web");
    return payload;
  }

  @Test
  public void a_forgotten_subject_reads_as_null_in_every_read_and_others_are_untouched() {
    EventStore store = personalStore();
    store.append("customer-alice", ExpectedVersion.noStream(), List.of(EventData.of(alice())));
    store.append("customer-bob", ExpectedVersion.noStream(), List.of(EventData.of(bob())));
    store.append("customer-alice", ExpectedVersion.exactly(1), List.of(EventData.of(new CustomerRenamed("alice", "Alice M"))));
    store.append("signup-alice", ExpectedVersion.noStream(), List.of(EventData.json("pd-signup", 1, signup("alice", "a@x.org"))));
    AggregateRepository<List<String>, String, CustomerRenamed> names = AggregateRepository.of(store, new Names());
    store.append("profile-alice", ExpectedVersion.noStream(), List.of(EventData.of(new CustomerRenamed("alice", "Alice P"))));
    assertThat(names.load("alice").state()).containsExactly("Alice P");

    assertThat(store.forgetSubject("alice")).isTrue();
    assertThat(store.forgetSubject("alice")).isFalse();

    CustomerRegistered redacted = new CustomerRegistered("alice", null, null, 2);
    assertThat(decoded(store, store.readStream("customer-alice").get(0), CustomerRegistered.class)).isEqualTo(redacted);
    assertThat(decoded(store, store.readStream("customer-alice").get(1), CustomerRenamed.class).name()).isNull();
    JsonNode json = store.readStream("signup-alice").get(0).payload();
    assertThat(json.at("/user/email").isNull()).isTrue();
    assertThat(json.at("/phones").isNull()).isTrue();
    assertThat(json.at("/user/id").asText()).isEqualTo("alice");
    assertThat(json.at("/source").asText()).isEqualTo("web");
    List<RecordedEvent> log = all(store);
    assertThat(decoded(store, log.get(0), CustomerRegistered.class)).isEqualTo(redacted);
    assertThat(decoded(store, log.get(1), CustomerRegistered.class)).isEqualTo(bob());
    assertThat(keyVersions(store, null, "alice")).isZero();
    assertThat(keyVersions(store, null, "bob")).isEqualTo(1);

    // An aggregate loads the redacted history.
    assertThat(names.load("alice").state()).containsExactly((String) null);

    // New events of the subject get a new key and read again.
    store.append("customer-alice", ExpectedVersion.exactly(2), List.of(EventData.of(new CustomerRenamed("alice", "Back again"))));
    assertThat(decoded(store, store.readStream("customer-alice").get(2), CustomerRenamed.class).name()).isEqualTo("Back again");
    assertThat(decoded(store, store.readStream("customer-alice").get(1), CustomerRenamed.class).name()).isNull();
  }

  @Test
  public void upcasters_see_decrypted_fields_and_null_once_forgotten() {
    Upcaster copyEmail = Upcaster.of("pd-signup", 1, raw -> {
      ObjectNode out = raw.payload().deepCopy();
      out.set("contact", raw.payload().at("/user/email"));
      return List.of(new RawEvent("pd-signup", 2, out));
    });
    EventStore store = openFreshStore(c -> c.withEventTypes(TYPES).withPersonalData(POLICY).withUpcasters(Upcasters.of(copyEmail)));
    store.append("signup-dan", ExpectedVersion.noStream(), List.of(EventData.json("pd-signup", 1, signup("dan", "dan@example.com"))));
    assertThat(store.readStream("signup-dan").get(0).payload().get("contact").asText()).isEqualTo("dan@example.com");
    store.forgetSubject("dan");
    RecordedEvent read = all(store).get(0);
    assertThat(read.schemaVersion()).isEqualTo(2);
    assertThat(read.payload().get("contact").isNull()).isTrue();
  }

  @Test
  public void a_tenant_forgets_only_its_own_subject_of_that_name() {
    EventStore root = personalStore();
    EventStore a = root.forTenant("tenant-a");
    EventStore b = root.forTenant("tenant-b");
    a.append("customer-alice", ExpectedVersion.noStream(), List.of(EventData.of(alice())));
    b.append("customer-alice", ExpectedVersion.noStream(), List.of(EventData.of(alice())));
    root.append("customer-alice", ExpectedVersion.noStream(), List.of(EventData.of(alice())));

    // The unconfined store and tenant b forgetting "alice" touch only their own namespace.
    assertThat(b.forgetSubject("alice")).isTrue();
    assertThat(decoded(a, a.readStream("customer-alice").get(0), CustomerRegistered.class)).isEqualTo(alice());
    assertThat(decoded(root, root.readStream("customer-alice").get(0), CustomerRegistered.class)).isEqualTo(alice());
    assertThat(decoded(b, b.readStream("customer-alice").get(0), CustomerRegistered.class).email()).isNull();
    assertThat(keyVersions(root, "tenant-a", "alice")).isEqualTo(1);
    assertThat(keyVersions(root, "tenant-b", "alice")).isZero();
    assertThat(keyVersions(root, null, "alice")).isEqualTo(1);
    // The global log read by the unconfined store shows each tenant's own state.
    assertThat(all(root)).extracting(e -> e.payload().get("email").isNull()).containsExactly(false, true, false);
    assertThatThrownBy(() -> b.forTenant("tenant-a")).isInstanceOf(dev.fabula.TenantAccessException.class);
  }

  @Test
  public void an_envelope_appended_by_a_caller_is_sealed_as_data_not_opened() {
    EventStore store = personalStore();
    store.append("signup-victim", ExpectedVersion.noStream(), List.of(EventData.json("pd-signup", 1, signup("victim", "victim@example.com"))));
    JsonNode stolen = storedEnvelope(store);
    // An attacker with append rights replays the victim's stored envelope under their own subject.
    ObjectNode forged = signup("mallory", "x");
    ((ObjectNode) forged.get("user")).set("email", stolen);
    store.append("signup-mallory", ExpectedVersion.noStream(), List.of(EventData.json("pd-signup", 1, forged)));
    JsonNode read = store.readStream("signup-mallory").get(0).payload().at("/user/email");
    assertThat(read).isEqualTo(stolen);
    assertThat(read.toString()).doesNotContain("victim@example.com");
  }

  /** The stored envelope of the first event's /user/email, from the storage scan. */
  private JsonNode storedEnvelope(EventStore store) {
    for (String text : storedText(store)) {
      try {
        JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        if (node != null && node.at("/user/email").has("fabula:pd")) {
          return node.at("/user/email");
        }
      } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
        // a key row
      }
    }
    throw new AssertionError("no stored envelope found in " + storedText(store));
  }

  @Test
  public void ciphertext_moved_to_another_tenant_or_subject_reads_as_null() {
    EventStore root = personalStore();
    EventStore a = root.forTenant("tenant-a");
    EventStore b = root.forTenant("tenant-b");
    long aliceA = a.append("customer-alice", ExpectedVersion.noStream(), List.of(EventData.of(alice()))).lastPosition();
    long aliceB = b.append("customer-alice", ExpectedVersion.noStream(), List.of(EventData.of(
        new CustomerRegistered("alice", "other@example.com", null, 1)))).lastPosition();
    long bobA = a.append("customer-bob", ExpectedVersion.noStream(), List.of(EventData.of(bob()))).lastPosition();
    // b's "alice" event now holds a's ciphertext: same subject name, other tenant.
    copyStoredPayload(root, aliceA, aliceB);
    assertThat(decoded(b, b.readStream("customer-alice").get(0), CustomerRegistered.class).email()).isNull();
    // Bob's event now holds alice's ciphertext, subject field included: the subject reads alice,
    // yet the key id and tenant bind, so it opens as alice's event of tenant a, never as b's.
    copyStoredPayload(root, aliceA, bobA);
    CustomerRegistered moved = decoded(a, a.readStream("customer-bob").get(0), CustomerRegistered.class);
    assertThat(moved.customerId()).isEqualTo("alice");
    assertThat(decoded(a, a.readStream("customer-alice").get(0), CustomerRegistered.class)).isEqualTo(alice());
    a.forgetSubject("alice");
    assertThat(decoded(a, a.readStream("customer-bob").get(0), CustomerRegistered.class).email()).isNull();
  }

  @Test
  public void rotation_writes_with_the_new_version_and_old_events_still_read() {
    EventStore store = personalStore();
    store.append("customer-alice", ExpectedVersion.noStream(), List.of(EventData.of(alice())));
    store.rotateSubjectKey("alice");
    store.append("customer-alice", ExpectedVersion.exactly(1), List.of(EventData.of(new CustomerRenamed("alice", "New Name"))));
    assertThat(keyVersions(store, null, "alice")).isEqualTo(2);
    List<RecordedEvent> read = store.readStream("customer-alice");
    assertThat(decoded(store, read.get(0), CustomerRegistered.class)).isEqualTo(alice());
    assertThat(decoded(store, read.get(1), CustomerRenamed.class).name()).isEqualTo("New Name");
    String kid0 = storedKeyIds(store).get(0);
    String kid1 = storedKeyIds(store).get(1);
    assertThat(kid0).isNotEqualTo(kid1);
    store.forgetSubject("alice");
    assertThat(store.readStream("customer-alice")).extracting(e -> e.payload().has("email") ? e.payload().get("email").isNull() : e.payload().get("name").isNull())
        .containsExactly(true, true);
  }

  /** The key ids named by the stored envelopes, in log order. */
  private List<String> storedKeyIds(EventStore store) {
    List<String> ids = new ArrayList<>();
    for (String text : storedText(store)) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"kid\"\\s*:\\s*\"([^\"]+)\"").matcher(text);
      if (m.find()) {
        ids.add(m.group(1));
      }
    }
    return ids;
  }

  @Test
  public void concurrent_first_writes_for_a_new_subject_create_one_key() throws Exception {
    EventStore store = personalStore();
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int n = i;
        done.add(pool.submit(() -> {
          start.await();
          store.append("customer-erin-" + n, ExpectedVersion.noStream(), List.of(EventData.of(new CustomerRenamed("erin", "Erin " + n))));
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(keyVersions(store, null, "erin")).isEqualTo(1);
    assertThat(storedKeyIds(store)).hasSize(threads).containsOnly(storedKeyIds(store).get(0));
    for (int i = 0; i < threads; i++) {
      assertThat(decoded(store, store.readStream("customer-erin-" + i).get(0), CustomerRenamed.class).name()).isEqualTo("Erin " + i);
    }
  }

  @Test
  public void an_event_without_its_subject_fails_and_stores_nothing() {
    EventStore store = personalStore();
    ObjectNode noSubject = signup("x", "nobody@example.com");
    ((ObjectNode) noSubject.get("user")).remove("id");
    assertThatThrownBy(() -> store.append("signup-x", ExpectedVersion.noStream(), List.of(EventData.json("pd-signup", 1, noSubject))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("/user/id").hasMessageNotContaining("nobody@example.com");
    assertThatThrownBy(() -> store.append("customer-x", ExpectedVersion.noStream(), List.of(
        EventData.of(new CustomerRegistered("alice", "ok@example.com", null, 1)), EventData.of(new CustomerRenamed(null, "No One")))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("names no data subject at /customerId");
    assertThat(store.streamInfo("signup-x")).isEmpty();
    assertThat(store.streamInfo("customer-x")).isEmpty();
    assertThat(all(store)).isEmpty();
  }

  @Test
  public void a_declaration_naming_an_unknown_component_fails_at_open() {
    PersonalDataPolicy bad = PersonalDataPolicy.builder().declare("pd-customer-renamed", "/customerId", "/nickname").build();
    assertThatThrownBy(() -> openFreshStore(c -> c.withEventTypes(TYPES).withPersonalData(bad)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("no component 'nickname'");
  }

  @Test
  public void a_retried_append_with_personal_fields_is_a_replay() {
    EventStore store = personalStore();
    EventData event = EventData.of(alice());
    store.append("customer-alice", ExpectedVersion.noStream(), List.of(event));
    assertThat(store.append("customer-alice", ExpectedVersion.noStream(), List.of(event)).replayed()).isTrue();
    assertThat(store.readStream("customer-alice")).hasSize(1);
  }

  @Test
  public void a_unit_of_work_seals_too_and_a_rolled_back_key_is_not_reused() {
    EventStore store = personalStore();
    assertThatThrownBy(() -> store.inTransaction(tx -> {
      tx.append("customer-zed", ExpectedVersion.noStream(), List.of(EventData.of(new CustomerRenamed("zed", "Zed"))));
      throw new IllegalStateException("roll back");
    })).isInstanceOf(IllegalStateException.class);
    store.inTransaction(tx -> tx.forTenant("tenant-a").append("customer-zed", ExpectedVersion.noStream(),
        List.of(EventData.of(new CustomerRenamed("zed", "Zed of A")))));
    store.append("customer-zed", ExpectedVersion.noStream(), List.of(EventData.of(new CustomerRenamed("zed", "Zed"))));
    assertThat(decoded(store, store.readStream("customer-zed").get(0), CustomerRenamed.class).name()).isEqualTo("Zed");
    // The key the committed event names is stored: not one a rolled-back transaction created and undid.
    assertThat(keyVersions(store, null, "zed")).isEqualTo(1);
    EventStore a = store.forTenant("tenant-a");
    assertThat(decoded(a, a.readStream("customer-zed").get(0), CustomerRenamed.class).name()).isEqualTo("Zed of A");
    assertThat(String.join("\n", storedText(store))).doesNotContain("Zed of A");
  }

  @Test
  public void a_store_without_personal_fields_refuses_to_forget() {
    assertThatThrownBy(() -> store().forgetSubject("alice")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("withPersonalData");
  }

  /** A fresh random subject id, for backends that share state between tests. */
  protected static String randomSubject() {
    return "s-" + UUID.randomUUID();
  }
}
