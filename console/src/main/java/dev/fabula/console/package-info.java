/**
 * The admin console: an embeddable web console over an event store, its projections, its job
 * queue and the migration toolkit. Off unless mounted: build a {@link dev.fabula.console.Console}, then serve it on a port of
 * its own ({@link dev.fabula.console.ConsoleServer}) or hand it the requests of your own HTTP
 * server ({@link dev.fabula.console.Console#handle}).
 */
@NullMarked
package dev.fabula.console;

import org.jspecify.annotations.NullMarked;
