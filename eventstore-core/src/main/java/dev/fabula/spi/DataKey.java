package dev.fabula.spi;

import dev.fabula.InvalidInputException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One version of a data subject's AES-256 key, as a {@link KeyStore} keeps it.
 *
 * @param id the key's id: unique across every subject, tenant and version, never reused (stored in
 *     each envelope it encrypted, so that a key created after a subject was forgotten can never
 *     be mistaken for the forgotten one)
 * @param version 1 for the subject's first key, one more for each {@link KeyStore#rotate}
 * @param material the 32 key bytes; the record keeps its own copy
 */
public record DataKey(String id, int version, byte[] material) {
  /** Key length in bytes (AES-256). */
  public static final int KEY_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Validates and copies. */
  public DataKey {
    Objects.requireNonNull(id, "id");
    if (id.isEmpty() || id.length() > 64) {
      throw new InvalidInputException("data key id must be 1 to 64 characters but was " + id.length());
    }
    if (version < 1) {
      throw new InvalidInputException("data key version must be 1 or more but was " + version);
    }
    if (material == null || material.length != KEY_BYTES) {
      throw new InvalidInputException("data key material must be " + KEY_BYTES + " bytes (AES-256)");
    }
    material = material.clone();
  }

  /** A new random key of {@code version}, with a random 128-bit id, from a {@link SecureRandom}. */
  public static DataKey generate(int version) {
    byte[] idBytes = new byte[16];
    byte[] material = new byte[KEY_BYTES];
    RANDOM.nextBytes(idBytes);
    RANDOM.nextBytes(material);
    return new DataKey(Base64.getUrlEncoder().withoutPadding().encodeToString(idBytes), version, material);
  }

  /** A copy of the key bytes. */
  @Override
  public byte[] material() {
    return material.clone();
  }

  /** The key for {@code javax.crypto}. */
  public SecretKey secretKey() {
    return new SecretKeySpec(material, "AES");
  }

  /** Names the id and version, never the key bytes. */
  @Override
  public String toString() {
    return "DataKey[id=" + id + ", version=" + version + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataKey k && k.id.equals(id) && k.version == version && java.util.Arrays.equals(k.material, material);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }
}
