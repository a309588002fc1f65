/** A throughput and latency workload for the scheduler, for the benchmark app. */
@NullMarked
package dev.fabula.scheduler.bench;

import org.jspecify.annotations.NullMarked;
