/**
 * Test support for Spring Boot applications that use Fabula: {@link
 * dev.fabula.spring.boot.test.autoconfigure.FabulaTest}, a slice with only the store, projections
 * and the scheduler on a fresh SQLite file or embedded PostgreSQL.
 */
@NullMarked
package dev.fabula.spring.boot.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
