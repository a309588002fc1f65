package dev.fabula.examples.configservice;

/**
 * What a writer believes about a config value before changing it; HTTP clients express it with
 * the conditional headers {@code If-Match} and {@code If-None-Match}.
 */
public sealed interface Precondition {

  /** No belief: set or delete whatever the current version is (last writer wins). */
  Precondition NONE = new None();

  /** {@code If-None-Match: *}: the name must have no current value; this is how a deleted name is created again. */
  Precondition ABSENT = new Absent();

  /** Returns the precondition "the value is at exactly this version" ({@code If-Match: "3"}). */
  static Precondition atVersion(long version) {
    return new AtVersion(version);
  }

  /** See {@link #NONE}. */
  record None() implements Precondition {}

  /** See {@link #ABSENT}. */
  record Absent() implements Precondition {}

  /**
   * The value must be at exactly this stream version: optimistic concurrency for HTTP clients.
   *
   * @param version the version the client read (from the {@code ETag} or the {@code version} field)
   */
  record AtVersion(long version) implements Precondition {}
}
