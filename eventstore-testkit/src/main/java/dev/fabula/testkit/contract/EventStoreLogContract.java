package dev.fabula.testkit.contract;

import static dev.fabula.testkit.contract.ContractChecks.assertStrictlyIncreasing;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.testkit.contract.ContractEvents.ItemAdded;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Reading the global log with {@link EventStore#readAll}: position order, reading after a position,
 * filters by event type, category and tenant, limits, and logs longer than several pages. Run it
 * with a subclass that implements {@link #openStore}, as for {@link EventStoreAppendContract}.
 */
public abstract class EventStoreLogContract extends StoreContractSupport {

  // ---- Reading the global log

  @Test
  void reads_the_whole_log_in_position_order() {
    store().append("a-1", ExpectedVersion.any(), notes("1", "2"));
    store().append("b-1", ExpectedVersion.any(), notes("3"));
    store().append("a-1", ExpectedVersion.any(), notes("4"));

    List<RecordedEvent> log = log(store());

    assertThat(texts(store(), log)).containsExactly("1", "2", "3", "4");
    assertThat(log).extracting(RecordedEvent::streamId).containsExactly("a-1", "a-1", "b-1", "a-1");
    assertThat(versions(log)).containsExactly(1L, 2L, 1L, 3L);
    assertThat(positions(log)).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void reads_the_log_after_a_position() {
    store().append("a-1", ExpectedVersion.any(), notes("1", "2", "3"));
    store().append("b-1", ExpectedVersion.any(), notes("4", "5"));
    List<RecordedEvent> all = log(store());

    assertThat(texts(store(), log(store(), LogQuery.after(all.get(1).position()))))
        .containsExactly("3", "4", "5");
    assertThat(texts(store(), log(store(), LogQuery.after(all.get(3).position()))))
        .containsExactly("5");
    assertThat(log(store(), LogQuery.after(store().headPosition()))).isEmpty();
    assertThat(log(store(), LogQuery.after(0))).isEqualTo(all);
  }

  @Test
  void reads_an_empty_log_as_empty() {
    assertThat(log(store())).isEmpty();
    assertThat(log(store(), LogQuery.after(1_000))).isEmpty();
  }

  @Test
  void filters_the_log_by_event_type() {
    store().append("cart-1", ExpectedVersion.any(), List.of(note("n1"), item("sku-1", 1)));
    store().append("cart-2", ExpectedVersion.any(), List.of(item("sku-2", 2), note("n2")));

    List<RecordedEvent> items = log(store(), LogQuery.all().types(Set.of("contract-item-added")));
    List<RecordedEvent> both =
        log(store(), LogQuery.all().types(Set.of("contract-item-added", "contract-note")));

    assertThat(items)
        .extracting(e -> store().types().decode(e))
        .containsExactly(new ItemAdded("sku-1", 1), new ItemAdded("sku-2", 2));
    assertThat(both).hasSize(4);
    assertThat(log(store(), LogQuery.all().types(Set.of("contract-nothing")))).isEmpty();
  }

  @Test
  void filters_the_log_by_category_the_part_of_the_stream_id_before_the_first_dash() {
    store().append("order-1", ExpectedVersion.any(), notes("order-1"));
    store().append("orderbook-1", ExpectedVersion.any(), notes("orderbook-1"));
    store().append("order-2-part-3", ExpectedVersion.any(), notes("order-2-part-3"));
    store().append("order", ExpectedVersion.any(), notes("order"));
    store().append("invoice-1", ExpectedVersion.any(), notes("invoice-1"));
    store().append("xorder-1", ExpectedVersion.any(), notes("xorder-1"));

    assertThat(texts(store(), log(store(), LogQuery.all().categories(Set.of("order")))))
        .containsExactly("order-1", "order-2-part-3", "order");
    assertThat(
            texts(store(), log(store(), LogQuery.all().categories(Set.of("orderbook", "invoice")))))
        .containsExactly("orderbook-1", "invoice-1");
    assertThat(log(store(), LogQuery.all().categories(Set.of("order-2")))).isEmpty();
  }

  @Test
  void filters_the_log_by_tenant() {
    store().forTenant("acme").append("cart-1", ExpectedVersion.any(), notes("acme-1"));
    store().append("cart-2", ExpectedVersion.any(), notes("none-1"));
    store().forTenant("globex").append("cart-3", ExpectedVersion.any(), notes("globex-1"));
    store().forTenant("acme").append("cart-4", ExpectedVersion.any(), notes("acme-2"));

    assertThat(texts(store(), log(store(), LogQuery.all().tenant("acme"))))
        .containsExactly("acme-1", "acme-2");
    assertThat(texts(store(), log(store(), LogQuery.all().tenant("globex"))))
        .containsExactly("globex-1");
    assertThat(log(store(), LogQuery.all().tenant("initech"))).isEmpty();
  }

  @Test
  void limits_the_log_read() {
    store().append("a-1", ExpectedVersion.any(), notes("1", "2", "3", "4"));

    assertThat(texts(store(), log(store(), LogQuery.all().limit(2)))).containsExactly("1", "2");
    assertThat(texts(store(), log(store(), LogQuery.all().limit(1)))).containsExactly("1");
    assertThat(log(store(), LogQuery.all().limit(100))).hasSize(4);
  }

  @Test
  void combines_a_position_filters_and_a_limit() {
    store().append("order-1", ExpectedVersion.any(), List.of(note("o1"), item("sku", 1)));
    store().append("invoice-1", ExpectedVersion.any(), notes("i1"));
    store().append("order-2", ExpectedVersion.any(), List.of(note("o2"), note("o3"), note("o4")));
    long afterFirst = store().readStream("order-1").get(0).position();

    LogQuery query =
        LogQuery.after(afterFirst)
            .categories(Set.of("order"))
            .types(Set.of("contract-note"))
            .limit(2);

    assertThat(texts(store(), log(store(), query))).containsExactly("o2", "o3");
  }

  @Test
  void reads_a_log_longer_than_several_pages_completely_and_in_order() {
    List<UUID> appended = new ArrayList<>();
    for (int batch = 0; batch < 25; batch++) {
      List<EventData> events = notes("b" + batch + "-", 100);
      store().append("bulk-" + batch % 5, ExpectedVersion.any(), events);
      appended.addAll(idsOf(events));
    }

    List<RecordedEvent> log = log(store());

    assertThat(log).hasSize(2_500);
    assertThat(eventIds(log)).isEqualTo(appended);
    assertStrictlyIncreasing(positions(log));
    assertThat(store().headPosition()).isEqualTo(log.get(log.size() - 1).position());
    assertThat(log(store(), LogQuery.after(log.get(999).position())))
        .isEqualTo(log.subList(1_000, 2_500));
  }

  @Test
  void filters_and_limits_a_log_longer_than_several_pages() {
    List<UUID> rare = new ArrayList<>();
    List<UUID> all = new ArrayList<>();
    for (int batch = 0; batch < 30; batch++) {
      List<EventData> noise = notes("n" + batch + "-", 100);
      store().append("noise-" + batch % 3, ExpectedVersion.any(), noise);
      all.addAll(idsOf(noise));
      EventData signal = item("sku-" + batch, batch);
      store().append("rare-" + batch % 2, ExpectedVersion.any(), List.of(signal));
      all.add(signal.eventId());
      rare.add(signal.eventId());
    }

    assertThat(eventIds(log(store(), LogQuery.all().categories(Set.of("rare"))))).isEqualTo(rare);
    assertThat(eventIds(log(store(), LogQuery.all().types(Set.of("contract-item-added")))))
        .isEqualTo(rare);
    assertThat(eventIds(log(store(), LogQuery.all().limit(1_234))))
        .isEqualTo(all.subList(0, 1_234));
    assertThat(eventIds(log(store(), LogQuery.all().categories(Set.of("rare")).limit(17))))
        .isEqualTo(rare.subList(0, 17));

    List<RecordedEvent> noise = log(store(), LogQuery.all().categories(Set.of("noise")));
    assertThat(noise).hasSize(3_000);
    assertStrictlyIncreasing(positions(noise));
    long middle = noise.get(1_499).position();
    assertThat(log(store(), LogQuery.after(middle).categories(Set.of("noise")).limit(700)))
        .isEqualTo(noise.subList(1_500, 2_200));
  }
}
