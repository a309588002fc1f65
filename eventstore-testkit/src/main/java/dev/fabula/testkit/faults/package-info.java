/**
 * Faults injected into a real database's connections, for tests of how an application (and the
 * library) handles a lost connection or a commit in doubt: {@link
 * dev.fabula.testkit.faults.FaultyDataSource}.
 */
@NullMarked
package dev.fabula.testkit.faults;

import org.jspecify.annotations.NullMarked;
