package dev.fabula.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.InvalidInputException;
import dev.fabula.RawEvent;
import dev.fabula.Upcaster;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** The upcasters made by {@link Upcaster}'s factories: a function and a description for errors. */
public final class FunctionUpcaster implements Upcaster {
  private final String type;
  private final int fromVersion;
  private final String description;
  private final Function<RawEvent, List<RawEvent>> function;

  private FunctionUpcaster(String type, int fromVersion, String description, Function<RawEvent, List<RawEvent>> function) {
    Validation.typeName(type);
    if (fromVersion < 1) {
      throw new InvalidInputException("an upcaster of " + type + " must read schema version 1 or more, not " + fromVersion);
    }
    this.type = type;
    this.fromVersion = fromVersion;
    this.description = description;
    this.function = Objects.requireNonNull(function, "function");
  }

  /** See {@link Upcaster#transform}. */
  public static Upcaster transform(String type, int fromVersion, Function<ObjectNode, ? extends JsonNode> change) {
    Objects.requireNonNull(change, "change");
    return new FunctionUpcaster(type, fromVersion, "Upcaster.transform(" + type + " v" + fromVersion + " -> v" + (fromVersion + 1) + ")",
        event -> {
          JsonNode result = change.apply(event.payload());
          if (!(result instanceof ObjectNode object)) {
            throw new IllegalStateException("the transformation returned "
                + (result == null ? "null" : "a JSON " + result.getNodeType()) + " instead of a JSON object");
          }
          return List.of(new RawEvent(event.type(), fromVersion + 1, object));
        });
  }

  /** See {@link Upcaster#rename}. */
  public static Upcaster rename(String type, int fromVersion, String newType, int newVersion) {
    Validation.typeName(newType);
    if (newVersion < 1) {
      throw new InvalidInputException("the renamed type " + newType + " needs a schema version of 1 or more, not " + newVersion);
    }
    return new FunctionUpcaster(type, fromVersion, "Upcaster.rename(" + type + " v" + fromVersion + " -> " + newType + " v" + newVersion + ")",
        event -> List.of(new RawEvent(newType, newVersion, event.payload())));
  }

  /** See {@link Upcaster#of}. */
  public static Upcaster of(String type, int fromVersion, Function<RawEvent, List<RawEvent>> upcast) {
    return new FunctionUpcaster(type, fromVersion, "Upcaster.of(" + type + " v" + fromVersion + ")", upcast);
  }

  /** How errors and logs name an upcaster: what a factory built, or the class and what it reads. */
  public static String describe(Upcaster upcaster) {
    return upcaster instanceof FunctionUpcaster
        ? upcaster.toString()
        : upcaster.getClass().getName() + " (" + upcaster.type() + " v" + upcaster.fromVersion() + ")";
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public int fromVersion() {
    return fromVersion;
  }

  @Override
  public List<RawEvent> upcast(RawEvent event) {
    return function.apply(event);
  }

  @Override
  public String toString() {
    return description;
  }
}
