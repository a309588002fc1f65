package dev.fabula.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a fence position is put back together from the low 32 bits in its lock key. */
class PostgresFenceTest {
  private static final long WRAP = 1L << 32;

  private static long low(long position) {
    return position & 0xFFFF_FFFFL;
  }

  @Test
  void a_fence_at_or_below_the_latest_position_plus_one_comes_back_exactly() {
    for (long latest : new long[] {0, 1, 5, WRAP - 2, WRAP - 1, WRAP, WRAP + 7, 3 * WRAP + 1, (1L << 50) + 3}) {
      for (long behind : new long[] {0, 1, 2, 1000, WRAP - 1}) {
        long fence = latest + 1 - behind;
        if (fence >= 1) {
          assertThat(PostgresFence.position(latest, low(fence))).as("latest %d, fence %d", latest, fence).isEqualTo(fence);
        }
      }
    }
  }

  @Test
  void a_fence_taken_after_the_first_read_of_the_sequence_is_placed_by_the_second() {
    long firstRead = WRAP - 2;
    long fence = WRAP + 5; // its transaction read the sequence after the reader's first read
    long secondRead = WRAP + 4;
    assertThat(PostgresFence.position(secondRead, low(fence))).isEqualTo(fence);
    // Placed by the first read, it would land 2^32 too low and hold every reader back to nothing.
    assertThat(PostgresFence.position(firstRead, low(fence))).isEqualTo(fence - WRAP);
  }
}
