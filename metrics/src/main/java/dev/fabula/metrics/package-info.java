/**
 * Micrometer meters for Fabula: {@link dev.fabula.metrics.StoreMetrics} (appends and the store's
 * connection pool), {@link dev.fabula.metrics.ProjectionMetrics} (each projection's position, lag
 * and state) and {@link dev.fabula.metrics.SchedulerMetrics} (the job queue). Each is a Micrometer
 * {@link io.micrometer.core.instrument.binder.MeterBinder}; the meters are listed in
 * docs/metrics.md.
 */
@NullMarked
package dev.fabula.metrics;

import org.jspecify.annotations.NullMarked;
