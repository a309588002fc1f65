package dev.fabula.internal;

import dev.fabula.InvalidInputException;
import dev.fabula.TenantAccessException;
import org.jspecify.annotations.Nullable;

/** The input rules shared by every backend, so that all of them reject the same things the same way. */
public final class Validation {
  /** Longest stream id, in characters. */
  public static final int MAX_STREAM_ID_LENGTH = 256;
  /** Longest event type name, in characters. */
  public static final int MAX_TYPE_LENGTH = 200;
  /** Most events in one append. */
  public static final int MAX_BATCH = 10_000;
  /** Largest free-form metadata entries, in bytes of UTF-8 JSON. */
  public static final int MAX_METADATA_ENTRIES_BYTES = 64 * 1024;
  /** Longest metadata value, in characters. */
  public static final int MAX_METADATA_VALUE_LENGTH = 4096;

  private Validation() {}

  /** Checks a stream id. */
  public static String streamId(@Nullable String id) {
    if (id == null || id.isBlank()) {
      throw new InvalidInputException(
          "stream id must not be " + (id == null ? "null" : "blank") + "; use an id such as \"booking-42\"");
    }
    if (id.length() > MAX_STREAM_ID_LENGTH) {
      throw new InvalidInputException(
          "stream id is " + id.length() + " characters long; the limit is " + MAX_STREAM_ID_LENGTH
              + " (id starts with '" + id.substring(0, 40) + "…')");
    }
    noControlCharacters("stream id", id);
    if (id.startsWith(Erasures.TOMBSTONE_PREFIX)) {
      throw new InvalidInputException("stream ids starting with '" + Erasures.TOMBSTONE_PREFIX
          + "' are reserved for the tombstones of erased streams; choose another id");
    }
    return id;
  }

  /** Checks an event type name. */
  public static String typeName(@Nullable String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("event type name must not be " + (name == null ? "null" : "blank"));
    }
    if (name.length() > MAX_TYPE_LENGTH) {
      throw new InvalidInputException(
          "event type name is " + name.length() + " characters long; the limit is " + MAX_TYPE_LENGTH);
    }
    noControlCharacters("event type name", name);
    return name;
  }

  /**
   * The tenant a view confined to {@code current} (null: unconfined) may narrow to: {@code
   * wanted}, if it is valid and {@code current} is null or the same.
   */
  public static String narrowTenant(@Nullable String current, @Nullable String wanted) {
    tenantId(wanted);
    if (current != null && !current.equals(wanted)) {
      throw new TenantAccessException(current, wanted);
    }
    return wanted;
  }

  /** Checks a tenant id. */
  public static String tenantId(@Nullable String tenant) {
    if (tenant == null || tenant.isBlank()) {
      throw new InvalidInputException("tenant id must not be " + (tenant == null ? "null" : "blank"));
    }
    if (tenant.length() > MAX_TYPE_LENGTH) {
      throw new InvalidInputException("tenant id is longer than " + MAX_TYPE_LENGTH + " characters");
    }
    noControlCharacters("tenant id", tenant);
    return tenant;
  }

  /** Checks a metadata value: no NUL character (databases cannot store it in text) and a bounded length. */
  public static void metadataValue(String field, @Nullable String value) {
    if (value == null) {
      return;
    }
    if (value.length() > MAX_METADATA_VALUE_LENGTH) {
      throw new InvalidInputException(
          "metadata " + field + " is " + value.length() + " characters long; the limit is " + MAX_METADATA_VALUE_LENGTH);
    }
    unpairedSurrogates("metadata " + field, value);
    if (value.indexOf('\0') >= 0) {
      throw new InvalidInputException("metadata " + field + " contains a NUL character (\\u0000), which cannot be stored");
    }
  }

  /**
   * Checks serialised JSON: at most {@code maxBytes} UTF-8 bytes and no escaped NUL character
   * ({@code \u0000}), which PostgreSQL's jsonb rejects.
   */
  public static void json(String what, String json, int maxBytes) {
    long bytes = 0;
    int backslashes = 0;
    for (int i = 0, n = json.length(); i < n; i++) {
      char c = json.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
      if (c == '\\') {
        backslashes++;
        continue;
      }
      if (c == 'u' && (backslashes & 1) == 1 && json.startsWith("0000", i + 1)) {
        throw new InvalidInputException(what + " contains a NUL character (\\u0000), which cannot be stored; remove it");
      }
      backslashes = 0;
    }
    if (bytes > maxBytes) {
      throw new InvalidInputException(
          what + " is " + bytes + " bytes of JSON; the limit is " + maxBytes
              + (what.startsWith("payload") ? " (EventStoreConfig.withMaxPayloadBytes)" : "")
              + "; store large blobs elsewhere and reference them");
    }
    unpairedSurrogates(what, json);
  }

  /** Rejects a lone UTF-16 surrogate: no UTF-8 database can store it faithfully. */
  private static void unpairedSurrogates(String what, String value) {
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new InvalidInputException(
            what + " contains an unpaired UTF-16 surrogate at index " + i + ", which is not valid Unicode text");
      }
    }
  }

  private static void noControlCharacters(String what, String value) {
    unpairedSurrogates(what, value);
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new InvalidInputException(
            what + " '" + value.replaceAll("\\p{Cntrl}", "?") + "' contains a control character at index " + i
                + "; use printable characters only");
      }
    }
  }
}
