/** Extension points of the scheduler: job handlers shipped as plugins. */
@NullMarked
package dev.fabula.scheduler.spi;

import org.jspecify.annotations.NullMarked;
