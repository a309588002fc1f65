package dev.fabula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.internal.InMemoryKeyStore;
import dev.fabula.internal.KeyCache;
import dev.fabula.spi.DataKey;
import dev.fabula.spi.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class PersonalDataPolicyTest {

  @EventType("pd-no-subject")
  record NoSubject(String id, @PersonalData String email) {}

  @EventType("pd-two-subjects")
  record TwoSubjects(@DataSubject String a, @DataSubject String b, @PersonalData String email) {}

  @EventType("pd-both")
  record Both(@DataSubject @PersonalData String id) {}

  @EventType("pd-plain")
  record Plain(String id) {}

  @EventType("pd-ok")
  record Ok(@DataSubject long userId, @PersonalData String email, @PersonalData String phone) {}

  sealed interface Account permits Opened, Closed {}

  @EventType("pd-opened")
  record Opened(@DataSubject String owner, @PersonalData String iban) implements Account {}

  @EventType("pd-closed")
  record Closed(String reason) implements Account {}

  @Test
  void annotations_become_pointers_and_a_sealed_interface_registers_its_personal_subtypes() {
    PersonalDataPolicy policy = PersonalDataPolicy.builder().register(Ok.class).register(Account.class).build();
    assertThat(policy.declarationOf("pd-ok")).contains(new PersonalDataPolicy.Declaration("pd-ok", "/userId", List.of("/email", "/phone")));
    assertThat(policy.declarationOf("pd-opened")).isPresent();
    assertThat(policy.declarationOf("pd-closed")).isEmpty();
    assertThat(PersonalDataPolicy.NONE.isEmpty()).isTrue();
  }

  @Test
  void bad_annotations_fail_with_the_fix() {
    assertThatThrownBy(() -> PersonalDataPolicy.builder().register(NoSubject.class))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("no @DataSubject").hasMessageContaining("mark exactly one");
    assertThatThrownBy(() -> PersonalDataPolicy.builder().register(TwoSubjects.class))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("2 @DataSubject");
    assertThatThrownBy(() -> PersonalDataPolicy.builder().register(Both.class))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("both @DataSubject and @PersonalData");
    assertThatThrownBy(() -> PersonalDataPolicy.builder().register(Plain.class, "plain"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("no component marked @PersonalData");
    assertThatThrownBy(() -> PersonalDataPolicy.builder().register(String.class))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a record annotated with @EventType");
  }

  @Test
  void bad_declarations_fail_with_the_fix() {
    assertThatThrownBy(() -> PersonalDataPolicy.builder().declare("t", "customer", "/email"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a JSON pointer");
    assertThatThrownBy(() -> PersonalDataPolicy.builder().declare("t", "/customer"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("names no personal field");
    assertThatThrownBy(() -> PersonalDataPolicy.builder().declare("t", "/customer/id", "/customer"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("holds or is held by the subject");
    assertThatThrownBy(() -> PersonalDataPolicy.builder().declare("t", "/id", "/a", "/a/b"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("lies inside field /a");
    assertThatThrownBy(() -> PersonalDataPolicy.builder().declare("t", "/id", "/a").declare("t", "/id", "/b"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("declared twice");
    assertThatThrownBy(() -> PersonalDataPolicy.builder().declare("t", "/id", "/a").keyCache(0, Duration.ofSeconds(1)).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("keyCacheSize");
  }

  @Test
  void a_declaration_for_a_registered_record_must_name_its_components() {
    EventTypes types = EventTypes.builder().register(Ok.class).build();
    PersonalDataPolicy.builder().declare("pd-ok", "/userId", "/email").build().check(types);
    assertThatThrownBy(() -> PersonalDataPolicy.builder().declare("pd-ok", "/userId", "/mail").build().check(types))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("no component 'mail'");
  }

  /** Counts the calls that reach the store behind the cache. */
  static final class Counting implements KeyStore {
    final InMemoryKeyStore keys = new InMemoryKeyStore();
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public DataKey currentKey(@Nullable String tenant, String subject) {
      reads.incrementAndGet();
      return keys.currentKey(tenant, subject);
    }

    @Override
    public Optional<DataKey> findKey(@Nullable String tenant, String subject, String keyId) {
      reads.incrementAndGet();
      return keys.findKey(tenant, subject, keyId);
    }

    @Override
    public DataKey rotate(@Nullable String tenant, String subject) {
      return keys.rotate(tenant, subject);
    }

    @Override
    public boolean forget(@Nullable String tenant, String subject) {
      return keys.forget(tenant, subject);
    }
  }

  @Test
  void the_key_cache_holds_at_most_its_size_and_forgetting_drops_the_subject_at_once() {
    Counting behind = new Counting();
    KeyCache cache = new KeyCache(behind, 4, Duration.ofMinutes(1));
    for (int i = 0; i < 50; i++) {
      cache.currentKey("t", "s" + i);
      assertThat(cache.cached()).isLessThanOrEqualTo(4);
    }
    DataKey k = cache.currentKey("t", "s49");
    int before = behind.reads.get();
    assertThat(cache.currentKey("t", "s49")).isEqualTo(k);
    assertThat(cache.findKey("t", "s49", k.id())).contains(k);
    assertThat(behind.reads.get()).isEqualTo(before);
    assertThat(cache.forget("t", "s49")).isTrue();
    assertThat(cache.findKey("t", "s49", k.id())).isEmpty();
    assertThat(cache.findKey("other", "s48", cache.currentKey("t", "s48").id())).isEmpty();
  }

  @Test
  void a_cached_key_is_read_again_after_its_time_to_live() throws Exception {
    Counting behind = new Counting();
    KeyCache cache = new KeyCache(behind, 10, Duration.ofMillis(1));
    DataKey k = cache.currentKey(null, "s");
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    // Forgotten elsewhere (straight in the store behind): the cache notices once the entry expired.
    behind.forget(null, "s");
    while (cache.findKey(null, "s", k.id()).isPresent()) {
      assertThat(System.nanoTime() - deadline).as("the entry never expired").isNegative();
      Thread.onSpinWait();
    }
  }

  @Test
  void a_data_key_never_shows_its_bytes() {
    DataKey k = DataKey.generate(1);
    assertThat(k.toString()).doesNotContain(java.util.HexFormat.of().formatHex(k.material()));
    assertThatThrownBy(() -> new DataKey("id", 1, new byte[16])).isInstanceOf(InvalidInputException.class);
  }
}
