package dev.fabula.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ObserverListTest {
  private final ObserverList<Consumer<String>> list =
      new ObserverList<>(LoggerFactory.getLogger(ObserverListTest.class), "A test observer failed on {} ({}); the caller goes on");

  @Test
  void every_observer_hears_each_call_once_in_the_order_added_even_when_added_twice() {
    List<String> heard = new ArrayList<>();
    Consumer<String> first = s -> heard.add("first " + s);
    Consumer<String> second = s -> heard.add("second " + s);
    list.add(first);
    list.add(second);
    list.add(first);

    list.tell("a call", o -> o.accept("x"));

    assertThat(heard).containsExactly("first x", "second x");
  }

  @Test
  void a_removed_observer_hears_nothing_and_removing_twice_is_harmless() {
    List<String> heard = new ArrayList<>();
    Runnable remove = list.add(heard::add);
    assertThat(list.isEmpty()).isFalse();

    remove.run();
    remove.run();
    list.tell("a call", o -> o.accept("x"));

    assertThat(heard).isEmpty();
    assertThat(list.isEmpty()).isTrue();
  }

  @Test
  void a_failing_observer_is_logged_and_the_others_still_hear_and_the_caller_goes_on() {
    List<String> heard = new ArrayList<>();
    list.add(s -> {
      throw new IllegalStateException("broken observer");
    });
    list.add(heard::add);

    list.tell("a call", o -> o.accept("x"));

    assertThat(heard).containsExactly("x");
  }

  @Test
  void a_fatal_error_is_rethrown_once_every_observer_heard() {
    List<String> heard = new ArrayList<>();
    OutOfMemoryError fatal = new OutOfMemoryError("simulated");
    list.add(s -> {
      throw fatal;
    });
    list.add(heard::add);

    assertThatThrownBy(() -> list.tell("a call", o -> o.accept("x"))).isSameAs(fatal);
    assertThat(heard).containsExactly("x");
  }

  @Test
  void a_stack_overflow_is_not_fatal_to_the_caller() {
    list.add(s -> {
      throw new StackOverflowError();
    });

    list.tell("a call", o -> o.accept("x"));
  }
}
