/** The projection runner's implementation. Not API: anything here may change in any release. */
@NullMarked
package dev.fabula.projections.internal;

import org.jspecify.annotations.NullMarked;
