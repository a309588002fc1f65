/** The event store on SQL databases through JDBC: start with {@link dev.fabula.jdbc.JdbcEventStore}. */
@NullMarked
package dev.fabula.jdbc;

import org.jspecify.annotations.NullMarked;
