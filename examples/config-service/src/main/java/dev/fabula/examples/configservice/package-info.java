/**
 * The config service example: an HTTP API whose config values are event-sourced (one stream per
 * name, decided by {@link dev.fabula.examples.configservice.ConfigAggregate}), read from an
 * in-memory live projection, with history, time travel and an asynchronous audit trail.
 */
@NullMarked
package dev.fabula.examples.configservice;

import org.jspecify.annotations.NullMarked;
