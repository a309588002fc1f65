/** The scheduler's implementation. Not API: anything here may change in any release. */
@NullMarked
package dev.fabula.scheduler.internal;

import org.jspecify.annotations.NullMarked;
