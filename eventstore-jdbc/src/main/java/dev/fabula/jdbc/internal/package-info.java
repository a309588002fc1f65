/** Implementation of the JDBC event store; not API. */
@NullMarked
package dev.fabula.jdbc.internal;

import org.jspecify.annotations.NullMarked;
