package dev.fabula.migration.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checksum of an import: the sum, modulo 2^256, of the SHA-256 of every row's key and content
 * (columns sorted by name). A sum rather than a chain, so it does not depend on batch boundaries
 * or on where a crashed run resumed, and the running value fits in the checkpoint row.
 */
public final class Checksum {
  private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);
  /** The checksum of no rows. */
  public static final String EMPTY = hex(BigInteger.ZERO);

  private Checksum() {}

  /** {@code checksum} with one more row added. */
  public static String add(String checksum, String key, Map<String, ?> row) {
    StringBuilder text = new StringBuilder(key).append('\u0001');
    new TreeMap<>(row).forEach((column, value) -> text.append(column).append('=').append(value).append('\u0002'));
    BigInteger rowHash = new BigInteger(1, sha256(text.toString()));
    return hex(new BigInteger(checksum, 16).add(rowHash).mod(MODULUS));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  private static String hex(BigInteger value) {
    String s = value.toString(16);
    return "0".repeat(64 - s.length()) + s;
  }
}
