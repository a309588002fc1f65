/**
 * The public model of the Fabula event store: {@link dev.fabula.EventStore}, its value records and
 * its exceptions. Start with {@link dev.fabula.EventStore#open(String)}.
 */
@NullMarked
package dev.fabula;

import org.jspecify.annotations.NullMarked;
