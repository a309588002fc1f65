package dev.fabula.migration.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Name-based UUIDs (RFC 9562 version 5: SHA-1 of a namespace and a name), so that the same source
 * row always gets the same event ids and a rerun appends nothing new.
 */
public final class NameBasedIds {
  /** The toolkit's namespace: a fixed random UUID; changing it would change every imported id. */
  private static final UUID NAMESPACE = UUID.fromString("5b0f7a9e-3c1d-4e62-9a57-2f4c8d1e6b30");

  private NameBasedIds() {}

  /** The id of event {@code index} of backfilled row {@code key} of source {@code source}. */
  public static UUID forImport(String source, String key, int index) {
    return v5("import\u0000" + source + "\u0000" + key + "\u0000" + index);
  }

  /** The id of event {@code index} of captured change {@code sequence} of table {@code table}. */
  public static UUID forCapture(String table, long sequence, int index) {
    return v5("capture\u0000" + table + "\u0000" + sequence + "\u0000" + index);
  }

  static UUID v5(String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-1", e);
    }
    sha1.update(toBytes(NAMESPACE));
    byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (hash[i] & 0xff);
      lsb = (lsb << 8) | (hash[i + 8] & 0xff);
    }
    return new UUID(msb, lsb);
  }

  private static byte[] toBytes(UUID id) {
    byte[] out = new byte[16];
    long msb = id.getMostSignificantBits();
    long lsb = id.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (msb >>> (56 - 8 * i));
      out[i + 8] = (byte) (lsb >>> (56 - 8 * i));
    }
    return out;
  }
}
