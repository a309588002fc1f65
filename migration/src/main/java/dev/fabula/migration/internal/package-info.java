/** Implementation of the migration toolkit; not API. */
@NullMarked
package dev.fabula.migration.internal;

import org.jspecify.annotations.NullMarked;
