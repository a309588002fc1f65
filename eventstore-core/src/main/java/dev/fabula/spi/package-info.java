/**
 * Extension points: backends found through {@link java.util.ServiceLoader}, and {@link
 * StoreObserver}, the hook metrics observe appends through.
 */
@NullMarked
package dev.fabula.spi;

import org.jspecify.annotations.NullMarked;
