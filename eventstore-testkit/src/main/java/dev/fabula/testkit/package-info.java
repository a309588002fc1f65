/**
 * Test support for applications built on Fabula: {@link dev.fabula.testkit.AggregateFixture} for
 * given/when/then tests of aggregates; {@link dev.fabula.testkit.ControllableClock}, a clock that
 * stands still until a test moves it, to drive schedules, retries and event times without sleeping; {@link dev.fabula.testkit.Await}, to wait for what other threads or processes make true, with a deadline and a message naming what was awaited; {@code dev.fabula.testkit.postgres} for tests against a real
 * PostgreSQL; {@code dev.fabula.testkit.faults} to break a real database's connections and commits; {@code dev.fabula.testkit.contract} for backend authors.
 */
@NullMarked
package dev.fabula.testkit;

import org.jspecify.annotations.NullMarked;
