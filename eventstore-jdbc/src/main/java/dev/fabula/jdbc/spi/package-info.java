/** Extension points of the JDBC event store: SQL dialects. */
@NullMarked
package dev.fabula.jdbc.spi;

import org.jspecify.annotations.NullMarked;
