/**
 * Moving an existing CRUD database to event sourcing: {@link dev.fabula.migration.Importer}
 * (backfill), {@link dev.fabula.migration.Capture} and {@link dev.fabula.migration.CaptureRunner}
 * (change capture while the old code still writes), {@link dev.fabula.migration.ParityCheck}
 * (prove the new read model matches), {@link dev.fabula.migration.ReadSwitch} (cut reads over and
 * back). The toolkit never modifies legacy tables; it only adds and removes its own triggers.
 */
@NullMarked
package dev.fabula.migration;

import org.jspecify.annotations.NullMarked;
