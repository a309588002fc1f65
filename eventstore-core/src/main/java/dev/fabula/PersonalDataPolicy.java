package dev.fabula;

import com.fasterxml.jackson.core.JsonPointer;
import dev.fabula.spi.KeyStore;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which fields of which event types are personal data, whose key encrypts them, and where the keys
 * live: the setting of crypto-shredding ({@code docs/personal-data.md}). Immutable; build one and
 * pass it to {@link EventStoreConfig#withPersonalData}:
 *
 * <pre>{@code
 * PersonalDataPolicy policy = PersonalDataPolicy.builder()
 *     .register(CustomerRegistered.class)                          // @DataSubject and @PersonalData components
 *     .declare("legacy-signup", "/customer", "/email", "/address/street")  // JSON events: pointers
 *     .build();
 * }</pre>
 *
 * <p>Each declared field is encrypted on append with the data key of the event's subject (AES-GCM,
 * see {@link dev.fabula.spi.KeyStore}) and decrypted on every read, before upcasters see the
 * event. Once the subject is forgotten ({@link EventStore#forgetSubject}), the field reads as JSON
 * {@code null}. Event types without a declaration are stored and read exactly as before, at no
 * cost. Never remove a declaration while events of its type are stored: their envelopes would
 * then be read as they are stored.
 *
 * @param declarations the declared fields, by event type name
 * @param keyStore the key store, or null for the backend's own (a table in the store's database)
 * @param keyCacheSize how many keys the store keeps in memory at most (1 to 1,000,000)
 * @param keyCacheTtl how long a cached key is used before it is read again: forgetting in another
 *     process takes effect here after at most this long (1 ms to 1 day)
 */
public record PersonalDataPolicy(
    Map<String, Declaration> declarations, @Nullable KeyStore keyStore, int keyCacheSize, Duration keyCacheTtl) {

  /** Default bound of the key cache: 10,000 keys. */
  public static final int DEFAULT_KEY_CACHE_SIZE = 10_000;
  /** Default time a cached key is trusted: one minute. */
  public static final Duration DEFAULT_KEY_CACHE_TTL = Duration.ofMinutes(1);

  /** No personal data: every event is stored as given (the default). */
  public static final PersonalDataPolicy NONE =
      new PersonalDataPolicy(Map.of(), null, DEFAULT_KEY_CACHE_SIZE, DEFAULT_KEY_CACHE_TTL);

  /**
   * The personal fields of one event type.
   *
   * @param type the event type name
   * @param subject the JSON pointer of the field naming the data subject ({@code /customerId})
   * @param fields the JSON pointers of the personal fields, at least one
   */
  public record Declaration(String type, String subject, List<String> fields) {
    /** Validates the pointers and copies. */
    public Declaration {
      if (type == null || type.isBlank()) {
        throw new InvalidInputException("personal data declaration needs an event type name");
      }
      pointer(type, "subject", subject);
      if (fields == null || fields.isEmpty()) {
        throw new InvalidInputException("personal data declaration of " + type + " names no personal field; name at least one JSON pointer");
      }
      fields = List.copyOf(fields);
      for (String f : fields) {
        pointer(type, "field", f);
        if (subject.equals(f) || subject.startsWith(f + "/") || f.startsWith(subject + "/")) {
          throw new InvalidInputException("personal data declaration of " + type + ": field " + f
              + " holds or is held by the subject " + subject + "; the subject is stored unencrypted (it finds the key), "
              + "so name a subject outside the personal fields");
        }
        for (String g : fields) {
          if (f != g && (f.equals(g) || g.startsWith(f + "/"))) {
            throw new InvalidInputException("personal data declaration of " + type + ": field " + g
                + " is named twice or lies inside field " + f + "; name it once");
          }
        }
      }
    }

    private static void pointer(String type, String what, @Nullable String pointer) {
      if (pointer == null || pointer.isEmpty() || !pointer.startsWith("/")) {
        throw new InvalidInputException("personal data declaration of " + type + ": " + what + " '" + pointer
            + "' is not a JSON pointer to a field; write it as /name or /name/inner");
      }
      try {
        JsonPointer.compile(pointer);
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException("personal data declaration of " + type + ": " + what + " '" + pointer
            + "' is not a valid JSON pointer: " + e.getMessage());
      }
    }
  }

  /** Validates and copies. */
  public PersonalDataPolicy {
    declarations = Map.copyOf(declarations);
    if (keyCacheSize < 1 || keyCacheSize > 1_000_000) {
      throw new InvalidInputException("keyCacheSize must be between 1 and 1000000 but was " + keyCacheSize);
    }
    if (keyCacheTtl == null || keyCacheTtl.compareTo(Duration.ofMillis(1)) < 0 || keyCacheTtl.compareTo(Duration.ofDays(1)) > 0) {
      throw new InvalidInputException("keyCacheTtl must be between 1 ms and 1 day but was " + keyCacheTtl);
    }
  }

  /** Starts a policy. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether no event type has personal fields (then the store does no work for personal data). */
  public boolean isEmpty() {
    return declarations.isEmpty();
  }

  /** The declaration of {@code type}, if it has personal fields. */
  public Optional<Declaration> declarationOf(String type) {
    return Optional.ofNullable(declarations.get(type));
  }

  /** Returns a copy whose keys live in {@code value} (null: the backend's own key table). */
  public PersonalDataPolicy withKeyStore(@Nullable KeyStore value) {
    return new PersonalDataPolicy(declarations, value, keyCacheSize, keyCacheTtl);
  }

  /**
   * Checks the declarations against the registered event classes: a declared field of a type
   * registered as a record must start at one of its components.
   *
   * @throws InvalidInputException naming the type and the unknown component
   */
  public void check(EventTypes types) {
    for (Declaration d : declarations.values()) {
      Class<?> type = types.classOf(d.type()).orElse(null);
      if (type == null || !type.isRecord()) {
        continue;
      }
      List<String> names = new ArrayList<>();
      for (RecordComponent c : type.getRecordComponents()) {
        names.add(c.getName());
      }
      List<String> pointers = new ArrayList<>(d.fields());
      pointers.add(d.subject());
      for (String p : pointers) {
        String first = JsonPointer.compile(p).getMatchingProperty();
        if (!names.contains(first)) {
          throw new InvalidInputException("personal data declaration of " + d.type() + " names " + p + ", but "
              + type.getName() + " has no component '" + first + "' (its components: " + names + ")");
        }
      }
    }
  }

  /** Builds a {@link PersonalDataPolicy}. Not thread-safe; build once at start-up. */
  public static final class Builder {
    private final Map<String, Declaration> declarations = new LinkedHashMap<>();
    private @Nullable KeyStore keyStore;
    private int keyCacheSize = DEFAULT_KEY_CACHE_SIZE;
    private Duration keyCacheTtl = DEFAULT_KEY_CACHE_TTL;

    private Builder() {}

    /**
     * Registers the {@link PersonalData} components of a record annotated with {@link EventType},
     * or of every such permitted subtype of a sealed interface (subtypes without personal data are
     * skipped).
     *
     * @throws InvalidInputException if a record has personal components but not exactly one {@link
     *     DataSubject}, or the subject is itself marked personal, or the class is neither an
     *     annotated record nor sealed
     */
    public Builder register(Class<?> type) {
      if (type.isSealed()) {
        for (Class<?> sub : type.getPermittedSubclasses()) {
          if (sub.isSealed() || sub.isRecord() && sub.getAnnotation(EventType.class) != null) {
            register(sub);
          }
        }
        return this;
      }
      EventType annotation = type.getAnnotation(EventType.class);
      if (!type.isRecord() || annotation == null) {
        throw new InvalidInputException(type.getName() + " is not a record annotated with @EventType (nor sealed); "
            + "use register(type, \"type-name\") or declare(\"type-name\", subject, fields…)");
      }
      Optional<Declaration> d = fromAnnotations(type, annotation.value());
      if (d.isEmpty()) {
        return this;
      }
      return add(d.get());
    }

    /** Registers the {@link PersonalData} components of record {@code type}, stored under type name {@code name}. */
    public Builder register(Class<?> type, String name) {
      if (!type.isRecord()) {
        throw new InvalidInputException(type.getName() + " is not a record; use declare(\"" + name + "\", subject, fields…)");
      }
      Optional<Declaration> d = fromAnnotations(type, name);
      if (d.isEmpty()) {
        throw new InvalidInputException(type.getName() + " has no component marked @PersonalData");
      }
      return add(d.get());
    }

    /**
     * Declares the personal fields of events of type {@code type} (JSON events, or records without
     * annotations), as JSON pointers.
     *
     * @param subject the pointer of the field naming the data subject
     * @param fields the pointers of the personal fields
     */
    public Builder declare(String type, String subject, String... fields) {
      return add(new Declaration(type, subject, List.of(fields)));
    }

    /** Keeps the data keys in {@code value} instead of the backend's own key table. */
    public Builder keyStore(KeyStore value) {
      if (value == null) {
        throw new InvalidInputException("keyStore must not be null; leave it unset for the backend's own");
      }
      this.keyStore = value;
      return this;
    }

    /** Bounds the key cache to {@code size} keys, each trusted for at most {@code ttl}. */
    public Builder keyCache(int size, Duration ttl) {
      this.keyCacheSize = size;
      this.keyCacheTtl = ttl;
      return this;
    }

    /** Returns the immutable policy. */
    public PersonalDataPolicy build() {
      return new PersonalDataPolicy(declarations, keyStore, keyCacheSize, keyCacheTtl);
    }

    private Builder add(Declaration d) {
      Declaration existing = declarations.get(d.type());
      if (existing != null && !existing.equals(d)) {
        throw new InvalidInputException("personal data of type " + d.type() + " is declared twice, differently: "
            + existing + " and " + d);
      }
      declarations.put(d.type(), d);
      return this;
    }

    private static Optional<Declaration> fromAnnotations(Class<?> type, String name) {
      List<String> fields = new ArrayList<>();
      List<String> subjects = new ArrayList<>();
      for (RecordComponent c : type.getRecordComponents()) {
        boolean personal = c.isAnnotationPresent(PersonalData.class);
        boolean subject = c.isAnnotationPresent(DataSubject.class);
        if (personal && subject) {
          throw new InvalidInputException("component '" + c.getName() + "' of " + type.getName()
              + " is marked both @DataSubject and @PersonalData; the subject is stored unencrypted (it finds the key)");
        }
        if (personal) {
          fields.add("/" + c.getName());
        }
        if (subject) {
          subjects.add("/" + c.getName());
        }
      }
      if (fields.isEmpty()) {
        return Optional.empty();
      }
      if (subjects.size() != 1) {
        throw new InvalidInputException(type.getName() + " has @PersonalData components " + fields + " but "
            + (subjects.isEmpty() ? "no" : subjects.size()) + " @DataSubject components; mark exactly one component "
            + "(the customer or user id) @DataSubject");
      }
      return Optional.of(new Declaration(name, subjects.get(0), fields));
    }
  }
}
