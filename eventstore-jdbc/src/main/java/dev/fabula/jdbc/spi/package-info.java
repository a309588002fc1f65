/**
 * Extension points of the JDBC event store: SQL dialects, and the database layer, migrations and
 * {@link dev.fabula.jdbc.spi.ComponentProvider} of modules that keep tables beside the store's.
 */
@NullMarked
package dev.fabula.jdbc.spi;

import org.jspecify.annotations.NullMarked;
