package dev.fabula;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An event as stored. Decode the payload into its Java type with {@link EventTypes#decode}.
 *
 * <p>The payload tree belongs to the caller: the store never looks at it again. An event read from
 * a database parses its payload and its metadata on the first call of {@link #payload()} and
 * {@link #metadata()}, not while the rows are read, so a reader that looks only at positions,
 * types or stream ids (a projection filtering by type, a catch-up that counts) parses no JSON.
 * Each part is parsed once and kept: later calls return the same tree. A stored payload that
 * cannot be parsed fails the call that asks for it with a {@link SerializationException}.
 *
 * <p>Equality, hash code and string form are those of a record of the nine values below (they
 * parse both parts; the string form names a part that cannot be parsed instead of failing).
 * Thread-safe: concurrent first calls parse once.
 */
public final class RecordedEvent {
  private final long position;
  private final String streamId;
  private final long streamVersion;
  private final UUID eventId;
  private final String type;
  private final int schemaVersion;
  private final Instant recordedAt;
  private volatile @Nullable Supplier<ObjectNode> payloadSource;
  private volatile @Nullable Supplier<Metadata> metadataSource;
  private volatile @Nullable ObjectNode payload;
  private volatile @Nullable Metadata metadata;

  /**
   * An event with its payload and metadata at hand.
   *
   * @param position the event's place in the global log, unique and increasing in commit order
   * @param streamId the stream it belongs to
   * @param streamVersion its version within the stream, 1 for the first event
   * @param eventId its unique id
   * @param type its stable type name
   * @param schemaVersion the payload's schema version
   * @param payload the payload, a JSON object
   * @param metadata correlation, causation, tenant, actor and free-form entries
   * @param recordedAt when the appending store's clock recorded it
   */
  public RecordedEvent(
      long position,
      String streamId,
      long streamVersion,
      UUID eventId,
      String type,
      int schemaVersion,
      ObjectNode payload,
      Metadata metadata,
      Instant recordedAt) {
    this(position, streamId, streamVersion, eventId, type, schemaVersion, recordedAt);
    this.payload = Objects.requireNonNull(payload, "payload");
    this.metadata = Objects.requireNonNull(metadata, "metadata");
  }

  private RecordedEvent(
      long position,
      String streamId,
      long streamVersion,
      UUID eventId,
      String type,
      int schemaVersion,
      Instant recordedAt) {
    this.position = position;
    this.streamId = Objects.requireNonNull(streamId, "streamId");
    this.streamVersion = streamVersion;
    this.eventId = Objects.requireNonNull(eventId, "eventId");
    this.type = Objects.requireNonNull(type, "type");
    this.schemaVersion = schemaVersion;
    this.recordedAt = Objects.requireNonNull(recordedAt, "recordedAt");
  }

  /**
   * An event whose payload and metadata are made on first use, for backends that read stored rows
   * ({@link dev.fabula.spi}): each supplier runs at most once successfully (a failing one runs again
   * on the next call, and fails again), and its result is kept.
   *
   * @param payload parses the stored payload; throws {@link SerializationException} when it cannot
   * @param metadata parses the stored metadata; throws {@link SerializationException} when it cannot
   */
  public static RecordedEvent parsedOnDemand(
      long position,
      String streamId,
      long streamVersion,
      UUID eventId,
      String type,
      int schemaVersion,
      Supplier<ObjectNode> payload,
      Supplier<Metadata> metadata,
      Instant recordedAt) {
    RecordedEvent event = new RecordedEvent(position, streamId, streamVersion, eventId, type, schemaVersion, recordedAt);
    event.payloadSource = Objects.requireNonNull(payload, "payload");
    event.metadataSource = Objects.requireNonNull(metadata, "metadata");
    return event;
  }

  /** The event's place in the global log, unique and increasing in commit order. */
  public long position() {
    return position;
  }

  /** The stream it belongs to. */
  public String streamId() {
    return streamId;
  }

  /** Its version within the stream, 1 for the first event. */
  public long streamVersion() {
    return streamVersion;
  }

  /** Its unique id. */
  public UUID eventId() {
    return eventId;
  }

  /** Its stable type name. */
  public String type() {
    return type;
  }

  /** The payload's schema version. */
  public int schemaVersion() {
    return schemaVersion;
  }

  /**
   * The payload, a JSON object; the same tree on every call.
   *
   * @throws SerializationException if the stored payload cannot be parsed
   */
  public ObjectNode payload() {
    ObjectNode p = payload;
    if (p != null) {
      return p;
    }
    synchronized (this) {
      if (payload == null) {
        payload = Objects.requireNonNull(Objects.requireNonNull(payloadSource).get(), "parsed payload");
        payloadSource = null;
      }
      return payload;
    }
  }

  /**
   * Correlation, causation, tenant, actor and free-form entries.
   *
   * @throws SerializationException if the stored metadata cannot be parsed
   */
  public Metadata metadata() {
    Metadata m = metadata;
    if (m != null) {
      return m;
    }
    synchronized (this) {
      if (metadata == null) {
        metadata = Objects.requireNonNull(Objects.requireNonNull(metadataSource).get(), "parsed metadata");
        metadataSource = null;
      }
      return metadata;
    }
  }

  /** When the appending store's clock recorded it. */
  public Instant recordedAt() {
    return recordedAt;
  }

  /** The stream's category: the part of the stream id before the first {@code -}. */
  public String category() {
    return Streams.category(streamId);
  }

  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof RecordedEvent e
        && position == e.position
        && streamVersion == e.streamVersion
        && schemaVersion == e.schemaVersion
        && streamId.equals(e.streamId)
        && eventId.equals(e.eventId)
        && type.equals(e.type)
        && recordedAt.equals(e.recordedAt)
        && payload().equals(e.payload())
        && metadata().equals(e.metadata());
  }

  @Override
  public int hashCode() {
    return Objects.hash(position, streamId, streamVersion, eventId, type, schemaVersion, payload(), metadata(), recordedAt);
  }

  @Override
  public String toString() {
    return "RecordedEvent[position=" + position + ", streamId=" + streamId + ", streamVersion=" + streamVersion
        + ", eventId=" + eventId + ", type=" + type + ", schemaVersion=" + schemaVersion
        + ", payload=" + shown(this::payload) + ", metadata=" + shown(this::metadata) + ", recordedAt=" + recordedAt + "]";
  }

  /** A part for {@link #toString}, which never throws: a stored part that cannot be parsed says so. */
  private static String shown(Supplier<?> part) {
    try {
      return String.valueOf(part.get());
    } catch (SerializationException e) {
      return "<cannot be parsed: " + e.getMessage() + ">";
    }
  }
}
