package dev.fabula.examples.configservice;

import dev.fabula.Aggregate;
import dev.fabula.Decision;
import dev.fabula.examples.configservice.ConfigCommand.DeleteValue;
import dev.fabula.examples.configservice.ConfigCommand.SetValue;
import dev.fabula.examples.configservice.ConfigEvent.ValueCreated;
import dev.fabula.examples.configservice.ConfigEvent.ValueDeleted;
import dev.fabula.examples.configservice.ConfigEvent.ValueUpdated;
import dev.fabula.examples.configservice.ConfigState.Status;

/**
 * The rules of one config value, as a decider: stream {@code config-<name>}.
 *
 * <ul>
 *   <li>Setting a name that was never set creates it ({@link ValueCreated}); setting an existing
 *       value updates it ({@link ValueUpdated}); setting the value it already has changes nothing.
 *   <li>A deleted value cannot be set ({@value #VALUE_DELETED}) until it is <b>created again</b>,
 *       which a client says explicitly with {@link Precondition#ABSENT} ({@code If-None-Match: *}).
 *       The re-creation is a new {@link ValueCreated} in the same stream: a new life, same history.
 *   <li>Only a current value can be deleted ({@value #VALUE_NOT_FOUND} for a name never set or
 *       already deleted).
 *   <li>{@link Precondition#atVersion} must name the current version ({@value #VERSION_MISMATCH});
 *       {@link Precondition#ABSENT} fails on a current value ({@value #VALUE_EXISTS}).
 * </ul>
 *
 * <p>The state counts its own events, because {@code decide} sees only the state: that count is
 * the stream version an {@code If-Match} header names. Stateless and thread-safe.
 */
public final class ConfigAggregate implements Aggregate<ConfigState, ConfigCommand, ConfigEvent> {

  /** Rejection code: the value was deleted; create it again with {@link Precondition#ABSENT}. */
  public static final String VALUE_DELETED = "value-deleted";
  /** Rejection code: there is no current value to delete. */
  public static final String VALUE_NOT_FOUND = "value-not-found";
  /** Rejection code: the client's {@code If-Match} version is not the current one. */
  public static final String VERSION_MISMATCH = "version-mismatch";
  /** Rejection code: {@code If-None-Match: *} but the name has a current value. */
  public static final String VALUE_EXISTS = "value-exists";

  /** The stream category: streams are named {@code config-<name>}. */
  public static final String CATEGORY = "config";

  @Override
  public String category() {
    return CATEGORY;
  }

  @Override
  public Class<ConfigState> stateType() {
    return ConfigState.class;
  }

  @Override
  public Class<ConfigEvent> eventType() {
    return ConfigEvent.class;
  }

  @Override
  public ConfigState initialState() {
    return ConfigState.NEVER_SET;
  }

  @Override
  public ConfigState evolve(ConfigState state, ConfigEvent event) {
    long version = state.version() + 1;
    if (event instanceof ValueCreated created) {
      return new ConfigState(Status.SET, created.value(), version);
    }
    if (event instanceof ValueUpdated updated) {
      return new ConfigState(Status.SET, updated.newValue(), version);
    }
    if (event instanceof ValueDeleted) {
      return new ConfigState(Status.DELETED, null, version);
    }
    throw new IllegalArgumentException("unknown event " + event);
  }

  @Override
  public Decision<ConfigEvent> decide(ConfigState state, ConfigCommand command) {
    Precondition precondition = command.precondition();
    String name = command.name();
    if (precondition instanceof Precondition.AtVersion at && at.version() != state.version()) {
      return Decision.reject(VERSION_MISMATCH, "config '" + name + "' is at version " + state.version()
          + ", not " + at.version() + "; read it again and retry with If-Match: \"" + state.version() + "\"");
    }
    if (command instanceof SetValue set) {
      return decideSet(state, set);
    }
    if (command instanceof DeleteValue) {
      if (precondition instanceof Precondition.Absent) {
        throw new IllegalArgumentException("a delete cannot require the value to be absent");
      }
      if (state.status() != Status.SET) {
        return Decision.reject(VALUE_NOT_FOUND, "config '" + name + "' has no value to delete"
            + (state.status() == Status.DELETED ? " (it was already deleted at version " + state.version() + ")" : ""));
      }
      return Decision.accept(new ValueDeleted(name, state.value()));
    }
    throw new IllegalArgumentException("unknown command " + command);
  }

  private static Decision<ConfigEvent> decideSet(ConfigState state, SetValue set) {
    String name = set.name();
    boolean recreate = set.precondition() instanceof Precondition.Absent;
    switch (state.status()) {
      case SET:
        if (recreate) {
          return Decision.reject(VALUE_EXISTS, "config '" + name + "' already has a value (version "
              + state.version() + "); drop If-None-Match to update it");
        }
        if (set.value().equals(state.value())) {
          return Decision.accept(); // the same value again: accepted, nothing changes
        }
        return Decision.accept(new ValueUpdated(name, state.value(), set.value()));
      case DELETED:
        if (!recreate) {
          return Decision.reject(VALUE_DELETED, "config '" + name + "' was deleted at version " + state.version()
              + "; to create it again, repeat the PUT with the header If-None-Match: *");
        }
        return Decision.accept(new ValueCreated(name, set.value()));
      case NEVER_SET:
        return Decision.accept(new ValueCreated(name, set.value()));
      default:
        throw new IllegalStateException("unknown status " + state.status());
    }
  }
}
