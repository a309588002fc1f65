package dev.fabula.internal;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.EventStoreException;
import dev.fabula.InvalidInputException;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.PersonalDataPolicy.Declaration;
import dev.fabula.RecordedEvent;
import dev.fabula.SerializationException;
import dev.fabula.spi.DataKey;
import dev.fabula.spi.KeyStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crypto-shredding: encrypts the declared personal fields of an event on append and decrypts them
 * on read ({@link PersonalDataPolicy}).
 *
 * <p><b>Envelope.</b> A personal field's value is replaced in the stored payload by {@code
 * {"fabula:pd":1,"kid":"<key id>","iv":"<base64>","ct":"<base64>"}}: AES-256-GCM with a random
 * 96-bit IV per value and a 128-bit tag, over the value's JSON text. The additional authenticated
 * data binds the tenant, the subject, the key id and the field's pointer, so a ciphertext copied to
 * another field, subject or tenant fails to decrypt. A field that is absent or JSON null is left as
 * it is: there is nothing to hide.
 *
 * <p><b>Reading.</b> An envelope whose key is gone (the subject was forgotten) reads as JSON {@code
 * null}, the redacted value; one that fails to decrypt (moved or altered in the database) reads as
 * {@code null} too, and is logged at WARN with its position and field (never its content). Events
 * of undeclared types pass through untouched, and decryption runs only when the payload is asked
 * for.
 */
public final class PersonalDataCipher {
  private static final Logger LOG = LoggerFactory.getLogger(PersonalDataCipher.class);
  /** The envelope's marker field and format version. */
  public static final String MARK = "fabula:pd";
  private static final int FORMAT = 1;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  /** One generator per thread: the platform's default one shares a lock between threads. */
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(PersonalDataCipher::newRandom);
  /** One cipher object per thread, initialised anew for every value (a new IV each time). */
  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(PersonalDataCipher::newCipher);
  /** Compiled pointers of the declarations, by text. */
  private static final java.util.concurrent.ConcurrentHashMap<String, JsonPointer> POINTERS = new java.util.concurrent.ConcurrentHashMap<>();

  private PersonalDataCipher() {}

  /**
   * The payload to store for an event of {@code type}: {@code payload} itself when the type has no
   * personal fields, else a copy with each personal field sealed in an envelope.
   *
   * @throws InvalidInputException if the event names no data subject
   */
  public static ObjectNode seal(PersonalDataPolicy policy, ObjectMapper mapper, @Nullable String tenant, String type, ObjectNode payload) {
    Declaration d = policy.declarations().get(type);
    if (d == null) {
      return payload;
    }
    String subject = subject(d, payload);
    if (subject == null) {
      throw new InvalidInputException("event " + type + " names no data subject at " + d.subject()
          + " (absent, null, empty or not a string or integer); its personal fields " + d.fields()
          + " cannot be encrypted, so nothing was stored: give every such event its subject");
    }
    KeyStore keys = keys(policy);
    DataKey key = keys.currentKey(tenant, subject);
    ObjectNode sealed = payload.deepCopy();
    for (String field : d.fields()) {
      JsonPointer pointer = POINTERS.computeIfAbsent(field, JsonPointer::compile);
      JsonNode value = sealed.at(pointer);
      if (value.isMissingNode() || value.isNull()) {
        continue;
      }
      byte[] plain;
      try {
        plain = mapper.writeValueAsBytes(value);
      } catch (JsonProcessingException e) {
        throw new SerializationException("cannot serialise personal field " + field + " of event " + type, e);
      }
      replace(sealed, pointer, envelope(key, aad(tenant, subject, key.id(), field), plain));
    }
    return sealed;
  }

  /**
   * The event as its readers see it: {@code stored} itself for a type without personal fields,
   * else an event whose payload is decrypted (or redacted) when first asked for.
   */
  public static RecordedEvent open(PersonalDataPolicy policy, ObjectMapper mapper, RecordedEvent stored) {
    Declaration d = policy.declarations().get(stored.type());
    if (d == null) {
      return stored;
    }
    return RecordedEvent.parsedOnDemand(stored.position(), stored.streamId(), stored.streamVersion(), stored.eventId(),
        stored.type(), stored.schemaVersion(), () -> opened(policy, mapper, d, stored), stored::metadata, stored.recordedAt());
  }

  private static ObjectNode opened(PersonalDataPolicy policy, ObjectMapper mapper, Declaration d, RecordedEvent stored) {
    // The stored event is this read's own (backends parse or copy per read): decrypt in place.
    ObjectNode payload = stored.payload();
    String subject = subject(d, payload);
    String tenant = null;
    KeyStore keys = null;
    for (String field : d.fields()) {
      JsonPointer pointer = POINTERS.computeIfAbsent(field, JsonPointer::compile);
      JsonNode node = payload.at(pointer);
      if (!isEnvelope(node)) {
        continue;
      }
      if (keys == null) {
        keys = keys(policy);
        tenant = stored.metadata().tenantId();
      }
      replace(payload, pointer, decrypted(keys, mapper, tenant, subject, field, (ObjectNode) node, stored));
    }
    return payload;
  }

  private static JsonNode decrypted(
      KeyStore keys, ObjectMapper mapper, @Nullable String tenant, @Nullable String subject, String field, ObjectNode envelope,
      RecordedEvent stored) {
    String keyId = envelope.path("kid").asText("");
    Optional<DataKey> key = subject == null || keyId.isEmpty() ? Optional.empty() : keys.findKey(tenant, subject, keyId);
    if (key.isEmpty()) {
      return NullNode.getInstance();
    }
    try {
      byte[] iv = Base64.getDecoder().decode(envelope.path("iv").asText(""));
      byte[] ct = Base64.getDecoder().decode(envelope.path("ct").asText(""));
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.DECRYPT_MODE, key.get().secretKey(), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad(tenant, subject, keyId, field));
      return mapper.readTree(cipher.doFinal(ct));
    } catch (AEADBadTagException | IllegalArgumentException e) {
      LOG.warn("The personal field {} of the event at position {} (type {}) does not decrypt with its subject's key: "
          + "it was moved or altered in the database; it reads as null", field, stored.position(), stored.type());
      return NullNode.getInstance();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new EventStoreException("cannot decrypt the personal field " + field + " of the event at position "
          + stored.position() + " (type " + stored.type() + "): " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * Whether two stored payloads are the same event: equal, or equal but for the ciphertexts of
   * their envelopes (each append draws a new IV) as long as both name the same key. A retried
   * append is so recognised without decrypting.
   */
  public static boolean sameSealed(JsonNode a, JsonNode b) {
    if (isEnvelope(a) && isEnvelope(b)) {
      return a.path("kid").equals(b.path("kid"));
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode other = b.get(e.getKey());
        if (other == null || !sameSealed(e.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!sameSealed(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  /** Whether {@code node} is an envelope this class wrote. */
  public static boolean isEnvelope(JsonNode node) {
    return node.isObject() && node.has(MARK);
  }

  private static KeyStore keys(PersonalDataPolicy policy) {
    KeyStore keys = policy.keyStore();
    if (keys == null) {
      throw new EventStoreException("this store has no key store for personal data; set one with "
          + "PersonalDataPolicy.builder().keyStore(…) (the JDBC and in-memory stores bring their own)");
    }
    return keys;
  }

  /**
   * The data subject a stored event names (its subject field is never encrypted), or null when its
   * type has no personal fields or the event names none.
   */
  public static @Nullable String subjectOf(PersonalDataPolicy policy, RecordedEvent stored) {
    Declaration d = policy.declarations().get(stored.type());
    return d == null ? null : subject(d, stored.payload());
  }

  private static @Nullable String subject(Declaration d, JsonNode payload) {
    JsonNode node = payload.at(POINTERS.computeIfAbsent(d.subject(), JsonPointer::compile));
    if (node.isTextual() && !node.asText().isEmpty()) {
      return node.asText();
    }
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue().toString();
    }
    return null;
  }

  private static ObjectNode envelope(DataKey key, byte[] aad, byte[] plain) {
    byte[] iv = new byte[IV_BYTES];
    RANDOM.get().nextBytes(iv);
    byte[] ct;
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad);
      ct = cipher.doFinal(plain);
    } catch (GeneralSecurityException e) {
      throw new EventStoreException("cannot encrypt a personal field with AES-GCM: " + e.getClass().getSimpleName()
          + "; check that the JDK offers AES/GCM/NoPadding", e);
    }
    ObjectNode envelope = JsonNodeFactory.instance.objectNode();
    envelope.put(MARK, FORMAT);
    envelope.put("kid", key.id());
    envelope.put("iv", Base64.getEncoder().encodeToString(iv));
    envelope.put("ct", Base64.getEncoder().encodeToString(ct));
    return envelope;
  }

  /**
   * The authenticated data: format, tenant ('' for none), subject, key id and field, each as its
   * UTF-8 length (4 bytes) and bytes, so that no two different tuples encode alike.
   */
  private static byte[] aad(@Nullable String tenant, @Nullable String subject, String keyId, String field) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(96);
    for (String part : new String[] {"fabula-pd-" + FORMAT, tenant == null ? "" : tenant, subject == null ? "" : subject, keyId, field}) {
      byte[] b = part.getBytes(StandardCharsets.UTF_8);
      out.write(b.length >>> 24);
      out.write(b.length >>> 16);
      out.write(b.length >>> 8);
      out.write(b.length);
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  private static SecureRandom newRandom() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (java.security.NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new EventStoreException("this JDK offers no AES/GCM/NoPadding cipher, which personal data needs", e);
    }
  }

  private static void replace(ObjectNode root, JsonPointer pointer, JsonNode value) {
    JsonNode parent = root.at(pointer.head());
    String name = pointer.last().getMatchingProperty();
    if (parent instanceof ObjectNode o) {
      o.set(name, value);
    } else if (parent instanceof ArrayNode a) {
      a.set(pointer.last().getMatchingIndex(), value);
    }
  }
}
