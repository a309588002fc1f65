/**
 * Test support for applications built on Fabula: {@link dev.fabula.testkit.AggregateFixture} for
 * given/when/then tests of aggregates; {@code dev.fabula.testkit.postgres} for tests against a real
 * PostgreSQL; {@code dev.fabula.testkit.contract} for backend authors.
 */
@NullMarked
package dev.fabula.testkit;

import org.jspecify.annotations.NullMarked;
