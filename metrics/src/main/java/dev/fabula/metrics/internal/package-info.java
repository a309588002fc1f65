/** Not API: may change in any release. */
@NullMarked
package dev.fabula.metrics.internal;

import org.jspecify.annotations.NullMarked;
