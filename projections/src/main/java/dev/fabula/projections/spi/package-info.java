/** Extension points of the projections: {@link dev.fabula.projections.spi.ProjectionObserver}, the hook metrics count batches through. */
@NullMarked
package dev.fabula.projections.spi;

import org.jspecify.annotations.NullMarked;
