package dev.fabula.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.EventStoreConfig;
import dev.fabula.InvalidInputException;
import dev.fabula.RawEvent;
import dev.fabula.RecordedEvent;
import dev.fabula.UpcastException;
import dev.fabula.Upcaster;
import dev.fabula.Upcasters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upcasters of one store, applied to stored events on read.
 *
 * <p>An event whose (type, schema version) no upcaster reads is returned as it is, without copying.
 * Otherwise the chain runs depth-first: each result is upcast again until no upcaster reads it, so
 * a split event's parts are each carried to their current shape, in order. Every result is checked
 * (no nulls, a valid type and version, a JSON object, a higher version when the type is kept) and
 * any failure becomes an {@link UpcastException} naming the stored event; nothing is ever written.
 */
public final class UpcastChain {
  private static final Logger LOG = LoggerFactory.getLogger(UpcastChain.class);

  /** Most upcasting steps for one stored event: more means the upcasters loop through renames. */
  static final int MAX_STEPS = 100;

  private static final UpcastChain NONE = new UpcastChain(Upcasters.none());

  private final Upcasters upcasters;
  private final Set<String> inputTypes;

  private UpcastChain(Upcasters upcasters) {
    this.upcasters = upcasters;
    Set<String> types = new HashSet<>();
    upcasters.all().forEach(u -> types.add(u.type()));
    this.inputTypes = Set.copyOf(types);
  }

  /**
   * The chain a store with {@code config} applies: its registered upcasters, plus those found with
   * {@link ServiceLoader} if discovery is on (explicit ones win). Logs what it found, once.
   *
   * @throws InvalidInputException if two discovered upcasters read the same type and version, or one
   *     cannot be instantiated
   */
  public static UpcastChain of(EventStoreConfig config) {
    Upcasters explicit = config.upcasters();
    if (!config.upcasterDiscovery()) {
      if (!explicit.isEmpty()) {
        LOG.info("Upcasters: {} registered, discovery off: {}", explicit.all().size(), explicit);
      }
      return explicit.isEmpty() ? NONE : new UpcastChain(explicit);
    }
    Upcasters.Builder merged = explicit.toBuilder();
    Upcasters.Builder discovered = Upcasters.builder();
    ServiceLoader<Upcaster> loader = ServiceLoader.load(Upcaster.class);
    try {
      for (Upcaster u : loader) {
        if (merged.has(u.type(), u.fromVersion())) {
          Optional<Upcaster> mine = explicit.find(u.type(), u.fromVersion());
          if (mine.isPresent() && mine.get().getClass() != u.getClass()) {
            LOG.info("Upcaster discovered but not used: {} reads {} v{}, which registered upcaster {} already reads",
                u.getClass().getName(), u.type(), u.fromVersion(), FunctionUpcaster.describe(mine.get()));
          }
          continue;
        }
        discovered.register(u);
        LOG.info("Upcaster discovered: {}", FunctionUpcaster.describe(u));
      }
    } catch (ServiceConfigurationError e) {
      throw new InvalidInputException(
          "cannot load the upcasters listed in META-INF/services/" + Upcaster.class.getName() + ": " + e.getMessage()
              + "; each needs a public no-argument constructor (or turn discovery off)");
    }
    merged.registerAll(discovered.build().all());
    Upcasters all = merged.build();
    LOG.info("Upcasters: {} registered, discovery on: {}", all.all().size(), all);
    return all.isEmpty() ? NONE : new UpcastChain(all);
  }

  /** Whether there are no upcasters (reads return events as stored). */
  public boolean isEmpty() {
    return upcasters.isEmpty();
  }

  /** The stored types some upcaster reads: only events of these types can change on read. */
  public Set<String> inputTypes() {
    return inputTypes;
  }

  /** Upcasts every event of {@code events}, in order. */
  public List<RecordedEvent> upcastAll(List<RecordedEvent> events) {
    if (isEmpty()) {
      return events;
    }
    List<RecordedEvent> out = new ArrayList<>(events.size());
    for (RecordedEvent e : events) {
      out.addAll(upcast(e));
    }
    return out;
  }

  /**
   * The events {@code stored} reads as: itself if no upcaster reads it, else what the chain makes
   * of it: none, one or several, all with the stored position, version, metadata and time. The
   * first keeps the stored event id; part {@code i > 0} gets a name-based UUID of {@code
   * "<event id>/<i>"}, the same on every read.
   *
   * @throws UpcastException if an upcaster fails
   */
  public List<RecordedEvent> upcast(RecordedEvent stored) {
    if (upcasters.find(stored.type(), stored.schemaVersion()).isEmpty()) {
      return List.of(stored);
    }
    List<RawEvent> results = new ArrayList<>(1);
    expand(stored, new RawEvent(stored.type(), stored.schemaVersion(), stored.payload()), 0, results);
    List<RecordedEvent> out = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      RawEvent r = results.get(i);
      UUID id = i == 0
          ? stored.eventId()
          : UUID.nameUUIDFromBytes((stored.eventId() + "/" + i).getBytes(StandardCharsets.UTF_8));
      out.add(new RecordedEvent(stored.position(), stored.streamId(), stored.streamVersion(), id, r.type(),
          r.schemaVersion(), r.payload(), stored.metadata(), stored.recordedAt()));
    }
    return out;
  }

  private void expand(RecordedEvent stored, RawEvent event, int steps, List<RawEvent> results) {
    Optional<Upcaster> found = upcasters.find(event.type(), event.schemaVersion());
    if (found.isEmpty()) {
      results.add(event);
      return;
    }
    Upcaster upcaster = found.get();
    String name = FunctionUpcaster.describe(upcaster);
    String at = event.type().equals(stored.type()) && event.schemaVersion() == stored.schemaVersion()
        ? "" : " (at " + event.type() + " v" + event.schemaVersion() + " in the chain)";
    if (steps >= MAX_STEPS) {
      throw new UpcastException(stored, name, "the upcasters ran " + MAX_STEPS + " steps without reaching a type no "
          + "upcaster reads" + at + ": they loop through renames", null);
    }
    List<RawEvent> produced;
    try {
      produced = upcaster.upcast(event);
    } catch (RuntimeException e) {
      throw new UpcastException(stored, name, "it threw " + e + at, e);
    }
    if (produced == null) {
      throw new UpcastException(stored, name, "it returned null instead of a list" + at + "; return List.of() to drop an event", null);
    }
    for (RawEvent r : produced) {
      String problem = problemWith(r, event);
      if (problem != null) {
        throw new UpcastException(stored, name, problem + at, null);
      }
      expand(stored, r, steps + 1, results);
    }
  }

  /** What is wrong with one result of an upcaster, or null if it is valid. */
  private static String problemWith(RawEvent r, RawEvent input) {
    if (r == null) {
      return "it returned a null event";
    }
    if (r.type() == null || r.type().isBlank()) {
      return "it returned an event without a type";
    }
    try {
      Validation.typeName(r.type());
    } catch (InvalidInputException e) {
      return "it returned an invalid type: " + e.getMessage();
    }
    if (r.schemaVersion() < 1) {
      return "it returned " + r.type() + " with schema version " + r.schemaVersion() + "; versions start at 1";
    }
    Object payload = r.payload();
    if (!(payload instanceof ObjectNode)) {
      return "it returned " + r.type() + " v" + r.schemaVersion() + " with "
          + (payload == null ? "a null payload" : "a payload that is not a JSON object") + " (an invalid tree)";
    }
    if (r.type().equals(input.type()) && r.schemaVersion() <= input.schemaVersion()) {
      return "it returned " + r.type() + " v" + r.schemaVersion() + " for " + input.type() + " v" + input.schemaVersion()
          + "; an upcaster that keeps the type must raise the schema version";
    }
    return null;
  }
}
