/** Internals of the tracing module: not API, may change in any release. */
@NullMarked
package dev.fabula.tracing.internal;

import org.jspecify.annotations.NullMarked;
