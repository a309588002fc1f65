package dev.fabula.projections.internal;

/**
 * The event store's PostgreSQL fence positions, for status reports on in-flight appends ({@code
 * oldest_fence_holder.sql}). A fence's lock key holds only the low 32 bits of its position; this
 * puts the high bits back as the store's readers do (see the fence's namespace in its {@code
 * append.sql}); a test holds an append open and checks that the status finds it.
 */
final class Fences {
  private Fences() {}

  /**
   * The fence position whose low 32 bits are {@code lowBits}: the largest at or below {@code
   * latest + 1}, {@code latest} being the highest position handed out, read after the locks.
   */
  static long position(long latest, long lowBits) {
    long ceiling = latest + 1;
    return ceiling - ((ceiling - lowBits) & 0xFFFF_FFFFL);
  }
}
