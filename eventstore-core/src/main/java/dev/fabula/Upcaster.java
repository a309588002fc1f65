package dev.fabula;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Function;

/**
 * Turns a stored event of one type and schema version into a newer shape when it is read. Stored
 * events are never rewritten: upcasting happens on every read path ({@link
 * EventStore#readStream}, {@link EventStore#readAll}, aggregate loads), on the JSON tree, so the
 * old Java class need not exist any more.
 *
 * <pre>{@code
 * // v1 {"val": "x"}  ->  v2 {"value": "x"}
 * Upcaster renameField = Upcaster.transform("config-value-set", 1, payload -> {
 *   payload.set("value", payload.remove("val"));
 *   return payload;
 * });
 * }</pre>
 *
 * <p><b>Chains.</b> An upcaster reads exactly one {@code (type(), fromVersion())}; what it returns
 * is upcast again by the upcaster registered for the result's type and version, until none is:
 * register {@code v1 -> v2} and {@code v2 -> v3}, and a v1 event reads as v3. An upcaster may rename
 * the type, and may return zero events (the stored event is skipped on read) or several (all carry
 * the stored event's position, stream version, metadata and timestamp; the first keeps its event
 * id, the others get ids derived from it). A result of the same type must have a higher schema
 * version, so that a chain always ends.
 *
 * <p><b>Errors.</b> An upcaster that throws or returns something invalid (null, an event without a
 * type, a non-object payload) makes the read fail with an {@link UpcastException} that names the
 * event's position, stream and type. Nothing is written.
 *
 * <p><b>Registration.</b> Register upcasters in {@link EventStoreConfig#withUpcasters}; with
 * {@link EventStoreConfig#withUpcasterDiscovery} enabled, implementations listed in {@code
 * META-INF/services/dev.fabula.Upcaster} are added too (explicit ones win, each is logged).
 * Discovered implementations need a public no-argument constructor.
 *
 * <p>Implementations must be thread-safe and free of side effects: reads call them concurrently and
 * repeatedly. They may change the payload tree they receive; it belongs to the read in progress.
 */
public interface Upcaster {

  /** The stored event type this upcaster reads. */
  String type();

  /** The schema version this upcaster reads, 1 or more. */
  int fromVersion();

  /**
   * Upcasts one event of {@link #type()} and {@link #fromVersion()}.
   *
   * @param event the event as stored (or as returned by the previous upcaster of the chain)
   * @return the events it becomes: usually one, possibly none or several; never null
   */
  List<RawEvent> upcast(RawEvent event);

  /**
   * An upcaster that keeps the type, raises the schema version by one and changes the payload with
   * {@code change}, which may modify the tree it receives and return it, or return a new one. A
   * result that is not a JSON object (or null) fails the read with an {@link UpcastException}.
   *
   * @param type the stored type
   * @param fromVersion the schema version read; the result has {@code fromVersion + 1}
   * @param change the payload transformation
   */
  static Upcaster transform(String type, int fromVersion, Function<ObjectNode, ? extends JsonNode> change) {
    return dev.fabula.internal.FunctionUpcaster.transform(type, fromVersion, change);
  }

  /**
   * An upcaster that renames a type: the payload stays as it is.
   *
   * @param type the stored type
   * @param fromVersion the schema version read
   * @param newType the new type name
   * @param newVersion the schema version of the result
   */
  static Upcaster rename(String type, int fromVersion, String newType, int newVersion) {
    return dev.fabula.internal.FunctionUpcaster.rename(type, fromVersion, newType, newVersion);
  }

  /**
   * An upcaster given as a function from one event to the events it becomes (none, one or several).
   *
   * @param type the stored type
   * @param fromVersion the schema version read
   * @param upcast the function; it must not return null
   */
  static Upcaster of(String type, int fromVersion, Function<RawEvent, List<RawEvent>> upcast) {
    return dev.fabula.internal.FunctionUpcaster.of(type, fromVersion, upcast);
  }
}
