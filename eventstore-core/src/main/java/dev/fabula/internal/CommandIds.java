package dev.fabula.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The ids of the events a command produces: derived from a SHA-1 hash of the tenant, the stream, the
 * command id and the event's index in the decision. The same command sent twice to one aggregate (a
 * retry after an unknown outcome, a redelivered message) gives its events the same ids, so the
 * store replays the second append instead of storing the events twice; two different commands,
 * streams or tenants never share an id. Each part is length-prefixed, so no two different inputs
 * hash the same bytes.
 *
 * <p>A command id that is itself time-ordered (a version 7 UUID, as {@code CommandMetadata.create()}
 * makes) gives time-ordered event ids: its 48-bit timestamp leads, then 74 bits of the hash (RFC
 * 9562 version 8), so new events keep landing at the end of the event-id index as random-free
 * version 7 ids do. Any other command id (a request id, a message id) gives a name-based version 5
 * UUID of the hash.
 */
final class CommandIds {
  /** The namespace of command event ids (a fixed random UUID). */
  private static final UUID NAMESPACE = UUID.fromString("a9b4d3e6-2f5c-4b8e-9c71-0d6e8f3a5b24");

  private CommandIds() {}

  /** The id of event {@code index} (0-based) of command {@code commandId} on {@code streamId}. */
  static UUID eventId(@Nullable String tenant, String streamId, String commandId, int index) {
    byte[] t = tenant == null ? new byte[0] : tenant.getBytes(StandardCharsets.UTF_8);
    byte[] s = streamId.getBytes(StandardCharsets.UTF_8);
    byte[] c = commandId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer name = ByteBuffer.allocate(16 + 1 + 4 * 4 + t.length + s.length + c.length)
        .putLong(NAMESPACE.getMostSignificantBits())
        .putLong(NAMESPACE.getLeastSignificantBits())
        .put((byte) (tenant == null ? 0 : 1))
        .putInt(t.length).put(t)
        .putInt(s.length).put(s)
        .putInt(c.length).put(c)
        .putInt(index);
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-1").digest(name.array());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
    ByteBuffer bits = ByteBuffer.wrap(hash);
    long hashHigh = bits.getLong();
    long low = (bits.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // RFC variant
    Long millis = timestampOf(commandId);
    if (millis != null) {
      return new UUID((millis << 16) | 0x8000L | (hashHigh & 0x0FFFL), low); // version 8, time first
    }
    return new UUID((hashHigh & ~0xF000L) | 0x5000L, low); // version 5
  }

  /** The millisecond timestamp of a version 7 UUID's text, or null for any other id. */
  private static @Nullable Long timestampOf(String commandId) {
    if (commandId.length() != 36 || commandId.charAt(14) != '7') {
      return null;
    }
    try {
      return UUID.fromString(commandId).getMostSignificantBits() >>> 16;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
