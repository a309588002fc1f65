package dev.fabula.projections;

import org.junit.jupiter.api.Tag;

/**
 * The torture test of {@link ProjectionCrashSqliteTest} with the projection in two segments, one
 * of them split and merged back under load, and the crash and takeover tests with two segments.
 * In the torture profile ({@code mvn -B -pl projections -am verify -Ptorture}): with child
 * processes and lease expiries they take minutes, too long for every build.
 */
@Tag("torture")
class ProjectionCrashSegmentedSqliteTest extends ProjectionCrashSqliteTest {
  @Override
  protected int segments() {
    return 2;
  }
}
