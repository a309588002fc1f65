package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.DataSubject;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.PersonalData;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/personal-data.md, run on a SQLite file. */
class PersonalDataGuideTest {

  // snippet:events
  @EventType("customer-registered")
  record CustomerRegistered(@DataSubject String customerId, @PersonalData String email, @PersonalData String name, String plan) {}
  // end

  @TempDir Path dir;

  @Test
  void forgets_a_customer() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("guide.db");
    // snippet:open
    EventTypes types = EventTypes.builder().register(CustomerRegistered.class).build();
    PersonalDataPolicy personalData = PersonalDataPolicy.builder()
        .register(CustomerRegistered.class)                          // its @PersonalData components
        .declare("newsletter-signup", "/subscriber", "/email")      // a JSON event: JSON pointers
        .build();
    JdbcEventStore.migrate(url, JdbcConfig.DEFAULT); // also creates the key table, personal_data_keys
    EventStore store = EventStore.open(url, EventStoreConfig.DEFAULT.withEventTypes(types).withPersonalData(personalData));
    // end
    try (store) {
      // snippet:append
      store.append("customer-c42", ExpectedVersion.noStream(),
          List.of(EventData.of(new CustomerRegistered("c42", "ada@example.com", "Ada Lovelace", "gold"))));
      RecordedEvent read = store.readStream("customer-c42").get(0);
      CustomerRegistered event = store.types().decode(read, CustomerRegistered.class); // decrypted on read
      // end
      assertThat(event.email()).isEqualTo("ada@example.com");
      assertThat(storedPayload(url)).doesNotContain("ada@example.com", "Ada Lovelace").contains("\"fabula:pd\":1");

      // snippet:forget
      store.forgetSubject("c42"); // deletes c42's keys: in this store's tenant only
      CustomerRegistered forgotten = store.types().decode(store.readStream("customer-c42").get(0), CustomerRegistered.class);
      // forgotten.email() and forgotten.name() are now null, everywhere; plan and customerId stay
      // end
      assertThat(forgotten).isEqualTo(new CustomerRegistered("c42", null, null, "gold"));

      // snippet:rotate
      store.rotateSubjectKey("c42"); // new appends use version 2; older events still read with version 1
      // end
      ObjectNode signup = store.types().mapper().createObjectNode().put("subscriber", "s-7").put("email", "s7@example.com");
      store.append("newsletter-s7", ExpectedVersion.noStream(), List.of(EventData.json("newsletter-signup", 1, signup)));
      assertThat(store.readStream("newsletter-s7").get(0).payload()).isEqualTo(signup);
    }
  }

  private static String storedPayload(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url); ResultSet rs = c.createStatement().executeQuery("SELECT payload FROM fabula_events")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
