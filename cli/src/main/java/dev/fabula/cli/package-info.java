/**
 * The operators' command-line tool, {@link dev.fabula.cli.Main}: one process that opens the store
 * from a JDBC URL, runs one command and exits with a code a script can check. It applies the
 * schema, shows status, runs the migration toolkit's imports, parity checks and change capture
 * ({@code dev.fabula.migration}), asks for a projection's rebuild, resumes it or retries its parked
 * events ({@code dev.fabula.projections}), and retries jobs ({@code dev.fabula.scheduler}). Build it with {@code
 * mvn -pl cli -am package} and run {@code java -jar cli/target/fabula-cli-<version>-all.jar
 * --help}.
 */
@NullMarked
package dev.fabula.cli;

import org.jspecify.annotations.NullMarked;
