package dev.fabula;

import dev.fabula.internal.FunctionUpcaster;
import dev.fabula.internal.Validation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upcasters a store applies on read, keyed by the type and schema version each reads.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * EventStoreConfig config = EventStoreConfig.DEFAULT
 *     .withEventTypes(types)
 *     .withUpcasters(Upcasters.of(new ValueSetV1ToV2(), new ValueSetV2ToV3()));
 * }</pre>
 *
 * <p>Registering the same upcaster (the same instance, or another instance of the same class for
 * the same type and version) twice is harmless; two different upcasters for one type and version
 * are an error.
 */
public final class Upcasters {

  private static final Upcasters NONE = new Upcasters(Map.of());

  /** The key of an upcaster: the type and schema version it reads. */
  private record Key(String type, int version) {}

  private final Map<Key, Upcaster> byKey;

  private Upcasters(Map<Key, Upcaster> byKey) {
    this.byKey = byKey;
  }

  /** No upcasters: events are read as stored. */
  public static Upcasters none() {
    return NONE;
  }

  /**
   * The given upcasters.
   *
   * @throws InvalidInputException if one is null or two differ for one type and version
   */
  public static Upcasters of(Upcaster... upcasters) {
    Builder builder = builder();
    for (Upcaster u : upcasters) {
      builder.register(u);
    }
    return builder.build();
  }

  /** Starts a registry. */
  public static Builder builder() {
    return new Builder();
  }

  /** The upcaster that reads {@code type} at {@code schemaVersion}, if any. */
  public Optional<Upcaster> find(String type, int schemaVersion) {
    return Optional.ofNullable(byKey.get(new Key(type, schemaVersion)));
  }

  /** Every upcaster, in registration order. */
  public List<Upcaster> all() {
    return List.copyOf(byKey.values());
  }

  /** Whether there are none. */
  public boolean isEmpty() {
    return byKey.isEmpty();
  }

  /** Returns a builder holding these upcasters, to add more. */
  public Builder toBuilder() {
    Builder builder = builder();
    byKey.values().forEach(builder::register);
    return builder;
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    byKey.values().forEach(u -> names.add(FunctionUpcaster.describe(u)));
    return "Upcasters" + names;
  }

  /** Builds an {@link Upcasters}. Not thread-safe; build once at start-up. */
  public static final class Builder {
    private final Map<Key, Upcaster> byKey = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Registers an upcaster.
     *
     * @throws InvalidInputException if it is null, names no valid type or version, or another
     *     upcaster reads the same type and version
     */
    public Builder register(Upcaster upcaster) {
      if (upcaster == null) {
        throw new InvalidInputException("upcaster must not be null");
      }
      String type = upcaster.type();
      Validation.typeName(type);
      int version = upcaster.fromVersion();
      if (version < 1) {
        throw new InvalidInputException(
            "upcaster " + upcaster.getClass().getName() + " reads " + type + " v" + version
                + "; schema versions start at 1");
      }
      Key key = new Key(type, version);
      Upcaster existing = byKey.get(key);
      if (existing != null && !sameUpcaster(existing, upcaster)) {
        throw new InvalidInputException(
            "two upcasters read " + type + " v" + version + ": " + FunctionUpcaster.describe(existing) + " and "
                + FunctionUpcaster.describe(upcaster) + "; keep one");
      }
      byKey.putIfAbsent(key, upcaster);
      return this;
    }

    /** Registers several upcasters; see {@link #register(Upcaster)}. */
    public Builder registerAll(Iterable<? extends Upcaster> upcasters) {
      for (Upcaster u : upcasters) {
        register(u);
      }
      return this;
    }

    /** Whether an upcaster for {@code type} at {@code version} is registered. */
    public boolean has(String type, int version) {
      return byKey.containsKey(new Key(type, version));
    }

    /** Returns the immutable registry. */
    public Upcasters build() {
      return byKey.isEmpty() ? NONE : new Upcasters(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byKey)));
    }

    private static boolean sameUpcaster(Upcaster a, Upcaster b) {
      return a == b
          || (a.getClass() == b.getClass() && !(a instanceof FunctionUpcaster));
    }
  }
}
