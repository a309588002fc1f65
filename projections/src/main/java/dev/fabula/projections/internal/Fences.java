package dev.fabula.projections.internal;

/**
 * The event store's PostgreSQL fence namespace, for status reports on in-flight appends
 * ({@code oldest_fence_holder.sql}). It must equal the namespace {@code PostgresDialect} derives
 * from the same schema and prefix (see the fence in its {@code append.sql}); a test holds an append open and
 * checks that the status finds it.
 */
final class Fences {
  private Fences() {}

  /** 15 bits from the qualified prefix, never 0. */
  static long namespace(String qualifiedPrefix) {
    int ns = qualifiedPrefix.hashCode() & 0x7FFF;
    return ns == 0 ? 1 : ns;
  }
}
