package dev.fabula.testkit.contract;

import dev.fabula.Aggregate;
import dev.fabula.DataSubject;
import dev.fabula.Decision;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.PersonalData;
import dev.fabula.PersonalDataPolicy;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The events, types and policy of {@link PersonalDataContract}, for tests of other modules that
 * need events with personal fields (a projection, a Spring application, a database role).
 */
public final class PersonalDataFixtures {
  private PersonalDataFixtures() {}

  /** A customer's address: a nested personal value. */
  public record Address(String street, String city) {}

  /** A customer registered: email and address are personal, the id names the subject. */
  @EventType("pd-customer-registered")
  public record CustomerRegistered(@DataSubject String customerId, @PersonalData String email, @PersonalData @Nullable Address address, int plan) {}

  /** A customer's name changed. */
  @EventType("pd-customer-renamed")
  public record CustomerRenamed(@DataSubject String customerId, @PersonalData String name) {}

  /** The types of the personal data contract. */
  public static final EventTypes TYPES = EventTypes.builder()
      .register(CustomerRegistered.class)
      .register(CustomerRenamed.class)
      .build();

  /** The policy of the personal data contract: the two records, and a JSON event type "pd-signup". */
  public static final PersonalDataPolicy POLICY = PersonalDataPolicy.builder()
      .register(CustomerRegistered.class)
      .register(CustomerRenamed.class)
      .declare("pd-signup", "/user/id", "/user/email", "/phones")
      .build();

  static CustomerRegistered alice() {
    return new CustomerRegistered("alice", "alice@example.com", new Address("1 Rue Secrète", "Lyon"), 2);
  }

  static CustomerRegistered bob() {
    return new CustomerRegistered("bob", "bob@example.com", new Address("2 Hidden Lane", "Leeds"), 1);
  }

  /** Collects the names of a customer's renames, in stream {@code profile-<id>}. */
  static final class Names implements Aggregate<List<String>, String, CustomerRenamed> {
    @Override
    public String category() {
      return "profile";
    }

    @Override
    @SuppressWarnings("unchecked")
    public Class<List<String>> stateType() {
      return (Class<List<String>>) (Class<?>) List.class;
    }

    @Override
    public Class<CustomerRenamed> eventType() {
      return CustomerRenamed.class;
    }

    @Override
    public List<String> initialState() {
      return List.of();
    }

    @Override
    public List<String> evolve(List<String> state, CustomerRenamed event) {
      List<String> next = new ArrayList<>(state);
      next.add(event.name());
      return next;
    }

    @Override
    public Decision<CustomerRenamed> decide(List<String> state, String command) {
      return Decision.accept(List.of(new CustomerRenamed("x", command)));
    }
  }
}
