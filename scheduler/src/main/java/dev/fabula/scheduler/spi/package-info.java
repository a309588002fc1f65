/**
 * Extension points of the scheduler: job handlers shipped as plugins, and {@link
 * dev.fabula.scheduler.spi.JobObserver}, the hook metrics time job runs through.
 */
@NullMarked
package dev.fabula.scheduler.spi;

import org.jspecify.annotations.NullMarked;
