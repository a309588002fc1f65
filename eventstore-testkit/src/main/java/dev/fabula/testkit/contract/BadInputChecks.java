package dev.fabula.testkit.contract;

import static dev.fabula.testkit.contract.StoreContractSupport.assertUnchanged;
import static dev.fabula.testkit.contract.StoreContractSupport.item;
import static dev.fabula.testkit.contract.StoreContractSupport.notes;
import static dev.fabula.testkit.contract.StoreContractSupport.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.testkit.contract.StoreContractSupport.Snapshot;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** What the bad-input suites share: the stream they target and how they check a rejection. */
final class BadInputChecks {

  private BadInputChecks() {}

  /** The stream that valid-looking but rejected appends target; it must stay absent. */
  static final String TARGET = "target-1";

  /** Streams whose state every rejection test compares before and after. */
  static final String[] WATCHED = {"seed-1", "seed-2", "seed-3", TARGET};

  /**
   * Asserts that {@code call} fails with {@code type}, that the message mentions every fragment
   * (ignoring case), and that {@code store}, seeded with a few events first, did not change.
   */
  static void assertRejected(
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
