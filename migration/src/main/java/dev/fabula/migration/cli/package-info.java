/** The operators' command-line tool: {@link dev.fabula.migration.cli.Main}. */
@NullMarked
package dev.fabula.migration.cli;

import org.jspecify.annotations.NullMarked;
