package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.AppendResult;
import dev.fabula.EventStore;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.StreamAppend;
import dev.fabula.Transaction;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Units of work ({@link EventStore#inTransaction}): appends to several streams commit together or
 * not at all, a unit sees its own appends, the callback's checked exception reaches the caller,
 * uncommitted appends stay invisible to other readers, and a {@link Transaction} is unusable after
 * its unit ended. Run it with a subclass that implements {@link #openStore}, as for {@link
 * EventStoreAppendContract}.
 */
public abstract class EventStoreUnitOfWorkContract extends StoreContractSupport {

  // ---- Units of work

  @Test
  void unit_of_work_commits_appends_to_several_streams_together() {
    String result =
        store()
            .inTransaction(
                tx -> {
                  tx.append("order-1", ExpectedVersion.noStream(), notes("placed"));
                  tx.appendAll(
                      List.of(
                          new StreamAppend("stock-1", ExpectedVersion.any(), notes("reserved")),
                          new StreamAppend("order-1", ExpectedVersion.exactly(1), notes("paid"))));
                  return "done";
                });

    assertThat(result).isEqualTo("done");
    assertThat(texts(store(), store().readStream("order-1"))).containsExactly("placed", "paid");
    assertThat(texts(store(), store().readStream("stock-1"))).containsExactly("reserved");
    assertThat(texts(store(), log(store())))
        .as("the order of streams within one appendAll is not specified")
        .containsExactlyInAnyOrder("placed", "reserved", "paid")
        .startsWith("placed");
  }

  @Test
  void unit_of_work_sees_its_own_appends_in_expected_versions() {
    AppendResult second =
        store()
            .inTransaction(
                tx -> {
                  tx.append("order-1", ExpectedVersion.noStream(), notes("a"));
                  return tx.append("order-1", ExpectedVersion.exactly(1), notes("b"));
                });

    assertThat(second.firstVersion()).isEqualTo(2);
    assertThat(versions(store().readStream("order-1"))).containsExactly(1L, 2L);
  }

  @Test
  void unit_of_work_rolls_back_every_append_when_the_callback_throws() {
    store().append("order-1", ExpectedVersion.any(), notes("existing"));
    Snapshot before = snapshot(store(), "order-1", "stock-1");
    IOException failure = new IOException("payment service down");

    assertThatThrownBy(
            () ->
                store()
                    .inTransaction(
                        tx -> {
                          tx.append("order-1", ExpectedVersion.exactly(1), notes("paid"));
                          tx.append("stock-1", ExpectedVersion.noStream(), notes("reserved"));
                          throw failure;
                        }))
        .isSameAs(failure);

    assertUnchanged(before, store());
  }

  @Test
  void checked_exception_type_of_a_unit_of_work_reaches_the_caller() {
    class NotEnoughStock extends Exception {
      private static final long serialVersionUID = 1L;
    }
    NotEnoughStock thrown = null;
    try {
      store()
          .<Void, NotEnoughStock>inTransaction(
              tx -> {
                tx.append("stock-1", ExpectedVersion.any(), notes("reserved"));
                throw new NotEnoughStock();
              });
    } catch (NotEnoughStock e) {
      thrown = e;
    }

    assertThat(thrown).isNotNull();
    assertThat(store().streamInfo("stock-1")).isEmpty();
  }

  @Test
  void unit_of_work_rolls_back_on_an_unchecked_exception() {
    Snapshot before = snapshot(store(), "order-1");
    IllegalStateException failure = new IllegalStateException("bug");

    assertThatThrownBy(
            () ->
                store()
                    .inTransaction(
                        tx -> {
                          tx.append("order-1", ExpectedVersion.any(), notes("a"));
                          throw failure;
                        }))
        .isSameAs(failure);

    assertUnchanged(before, store());
  }

  @Test
  void unit_of_work_rolls_back_when_an_append_inside_conflicts() {
    store().append("stock-1", ExpectedVersion.any(), notes("s1", "s2"));
    Snapshot before = snapshot(store(), "order-1", "stock-1");

    assertConcurrencyConflict(
        () ->
            store()
                .inTransaction(
                    tx -> {
                      tx.append("order-1", ExpectedVersion.noStream(), notes("placed"));
                      return tx.append("stock-1", ExpectedVersion.exactly(1), notes("reserved"));
                    }),
        "stock-1",
        ExpectedVersion.exactly(1),
        2);

    assertUnchanged(before, store());
  }

  @Test
  void uncommitted_appends_are_never_visible_to_other_readers() throws Exception {
    store().append("other-1", ExpectedVersion.any(), notes("committed"));
    Snapshot before = snapshot(store(), "order-1", "other-1");
    ExecutorService reader = Executors.newSingleThreadExecutor();
    AtomicReference<Future<Snapshot>> seen = new AtomicReference<>();
    try {
      assertThatThrownBy(
              () ->
                  store()
                      .inTransaction(
                          tx -> {
                            tx.append("order-1", ExpectedVersion.noStream(), notes("uncommitted"));
                            seen.set(reader.submit(() -> snapshot(store(), "order-1", "other-1")));
                            try {
                              // Give a non-blocking (MVCC) reader the chance to read while the
                              // transaction is open; a blocked reader finishes after the rollback.
                              seen.get().get(250, TimeUnit.MILLISECONDS);
                            } catch (TimeoutException blocked) {
                              // The backend makes readers wait for writers: also fine.
                            }
                            throw new IOException("roll back");
                          }))
          .isInstanceOf(IOException.class);

      assertThat(seen.get().get(1, TimeUnit.MINUTES))
          .as("what another thread saw while the unit of work was open")
          .isEqualTo(before);
      assertUnchanged(before, store());
    } finally {
      reader.shutdownNow();
    }
  }

  @Test
  void transaction_cannot_be_used_after_its_unit_of_work_ended() {
    AtomicReference<Transaction> leaked = new AtomicReference<>();
    store()
        .inTransaction(
            tx -> {
              leaked.set(tx);
              return tx.append("order-1", ExpectedVersion.any(), notes("a"));
            });
    Snapshot before = snapshot(store(), "order-1");

    assertThatThrownBy(() -> leaked.get().append("order-1", ExpectedVersion.any(), notes("late")))
        .isInstanceOf(EventStoreException.class);

    assertUnchanged(before, store());
  }
}
