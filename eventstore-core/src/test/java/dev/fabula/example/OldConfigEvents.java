package dev.fabula.example;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.RawEvent;
import dev.fabula.Upcaster;
import java.util.List;

/**
 * What the config service stored years ago, and the upcasters that read it today. The v1 class
 * exists here only to write old events in tests; production code would have deleted it.
 */
public final class OldConfigEvents {
  private OldConfigEvents() {}

  /** The first schema of "config-value-set": the value was called "val". */
  @EventType(value = "config-value-set", version = 1)
  public record ValueSetV1(String val) {}

  /** The event types of the old code base. */
  public static final EventTypes V1_TYPES = EventTypes.builder().register(ValueSetV1.class).build();

  /** v1 -> v2: the field "val" became "value". */
  public static final class ValueSetV1ToV2 implements Upcaster {
    @Override
    public String type() {
      return "config-value-set";
    }

    @Override
    public int fromVersion() {
      return 1;
    }

    @Override
    public List<RawEvent> upcast(RawEvent event) {
      ObjectNode payload = event.payload();
      payload.set("value", payload.remove("val"));
      return List.of(new RawEvent("config-value-set", 2, payload));
    }
  }

  /** v2 -> v3: values can be secret; every old value was not. */
  public static final class ValueSetV2ToV3 implements Upcaster {
    @Override
    public String type() {
      return "config-value-set";
    }

    @Override
    public int fromVersion() {
      return 2;
    }

    @Override
    public List<RawEvent> upcast(RawEvent event) {
      return List.of(new RawEvent("config-value-set", 3, event.payload().put("secret", false)));
    }
  }
}
