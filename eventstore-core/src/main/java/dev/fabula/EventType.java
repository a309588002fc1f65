package dev.fabula;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names an event class's stable type, so that {@link EventTypes.Builder#register(Class)} can
 * register it. The name is stored with every event: never change it, register an upcaster instead.
 *
 * <pre>{@code
 * @EventType(value = "config-value-set", version = 2)
 * record ValueSet(String name, String value) implements ConfigEvent {}
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {
  /** The stable type name. */
  String value();

  /** The payload's current schema version. */
  int version() default 1;
}
