/**
 * OpenTelemetry tracing for Fabula: {@link dev.fabula.tracing.TraceMetadata} records the current
 * trace context in appended events (and enqueued jobs), {@link dev.fabula.tracing.StoreTracing}
 * traces appends, units of work and commands, {@link dev.fabula.tracing.ProjectionTracing}
 * projection batches and {@link dev.fabula.tracing.JobTracing} job runs, each continuing the trace
 * its data carries. See docs/tracing.md.
 */
@NullMarked
package dev.fabula.tracing;

import org.jspecify.annotations.NullMarked;
