/**
 * Health checks for Fabula, with no framework: {@link dev.fabula.health.Health} asks {@link
 * dev.fabula.health.HealthIndicator}s (of the store, the projections, the scheduler, the JVM) and
 * answers with a {@link dev.fabula.health.HealthReport} for liveness, readiness, or everything. See
 * docs/health.md.
 */
@NullMarked
package dev.fabula.health;

import org.jspecify.annotations.NullMarked;
