/**
 * Reusable PostgreSQL support for Fabula tests and benchmarks.
 *
 * <p>{@link dev.fabula.testkit.postgres.PostgresServer} provides one lazily started PostgreSQL
 * server per JVM (an external server named by {@code EVENTSTORE_TEST_PG_URL}, a Testcontainers
 * container, or an embedded server), {@link dev.fabula.testkit.postgres.PostgresDatabase}
 * describes one database on it, and {@link dev.fabula.testkit.postgres.PostgresExtension} gives
 * every JUnit 5 test class a fresh database.
 */
@NullMarked
package dev.fabula.testkit.postgres;

import org.jspecify.annotations.NullMarked;
