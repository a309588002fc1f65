package dev.fabula.examples.configservice;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * The write-side state of one config value, folded from its events by {@link ConfigAggregate}.
 *
 * @param status whether the name has never been set, has a value, or was deleted
 * @param value the current value, null unless {@link Status#SET}
 * @param version how many events the stream holds: the version a client's {@code If-Match} must name
 */
public record ConfigState(Status status, @Nullable JsonNode value, long version) {

  /** Reads a JSON {@code null} (from a snapshot of a state without value) as no value. */
  public ConfigState {
    if (value != null && value.isNull()) {
      value = null;
    }
  }

  /** The state of a name that was never set. */
  public static final ConfigState NEVER_SET = new ConfigState(Status.NEVER_SET, null, 0);

  /** Where a config value is in its life. */
  public enum Status {
    /** No event yet. */
    NEVER_SET,
    /** It has a value. */
    SET,
    /** Its last event deleted it; only an explicit re-creation gives it a value again. */
    DELETED
  }
}
