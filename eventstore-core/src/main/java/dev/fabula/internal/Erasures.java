package dev.fabula.internal;

import dev.fabula.Erasure;
import dev.fabula.EventStoreException;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.RecordedEvent;
import dev.fabula.spi.ErasureScope;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * What every backend's erasure shares: the keyed hash of a target (HMAC-SHA-256 under the store's
 * erasure secret, so that a tombstone or a record names an erased stream without holding its id,
 * and an id cannot be recovered from it by hashing guesses without the secret), and finding the
 * events a subject erasure concerns.
 */
public final class Erasures {
  /** How a tombstone's stream id starts: the rest is the hash. Stream ids may not start so. */
  public static final String TOMBSTONE_PREFIX = "$erased:";
  /** Bytes of a new erasure secret. */
  public static final int SECRET_BYTES = 32;

  private Erasures() {}

  /** A new random secret. */
  public static byte[] newSecret() {
    byte[] secret = new byte[SECRET_BYTES];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  /**
   * The keyed hash of a target in a tenant's namespace: Base64 URL without padding of
   * HMAC-SHA-256(secret, "fabula-erasure-1", tenant, kind, target), each part length-prefixed.
   */
  public static String hash(byte[] secret, @Nullable String tenant, Erasure.Kind kind, String target) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      for (String part : new String[] {"fabula-erasure-1", tenant == null ? "" : tenant, kind.name(), target}) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        mac.update(new byte[] {(byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8), (byte) bytes.length});
        mac.update(bytes);
      }
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new EventStoreException("this JVM cannot compute HMAC-SHA-256 (" + e.getMessage() + ")", e);
    }
  }

  /** The stream id a tombstone of an erased stream is stored under. */
  public static String tombstoneId(byte[] secret, @Nullable String tenant, String streamId) {
    return TOMBSTONE_PREFIX + hash(secret, tenant, Erasure.Kind.STREAM, streamId);
  }

  /**
   * The scope of a subject erasure from the tenant's stored (undecrypted) events of the types that
   * have personal fields: the streams and positions of those naming the subject. Events of other
   * tenants are skipped, whatever the log returned.
   */
  public static ErasureScope subjectScope(
      PersonalDataPolicy policy, @Nullable String tenant, String subject, Stream<RecordedEvent> stored) {
    Set<String> streams = new HashSet<>();
    Set<Long> positions = new HashSet<>();
    try (stored) {
      stored.forEach(e -> {
        if (Objects.equals(e.metadata().tenantId(), tenant) && subject.equals(PersonalDataCipher.subjectOf(policy, e))) {
          streams.add(e.streamId());
          positions.add(e.position());
        }
      });
    }
    return new ErasureScope(tenant, Erasure.Kind.SUBJECT, subject, streams, positions);
  }
}
