/** The console's rendering, routing, sessions and audit table: not API. */
@NullMarked
package dev.fabula.console.internal;

import org.jspecify.annotations.NullMarked;
