/** Extension points: backends found through {@link java.util.ServiceLoader}. */
@NullMarked
package dev.fabula.spi;

import org.jspecify.annotations.NullMarked;
