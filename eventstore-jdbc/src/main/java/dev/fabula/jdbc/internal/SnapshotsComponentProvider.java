package dev.fabula.jdbc.internal;

import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentProvider;

/** Lists the snapshot store's table for {@code migrate}. */
public final class SnapshotsComponentProvider implements ComponentProvider {

  /** The ServiceLoader constructor. */
  public SnapshotsComponentProvider() {}

  @Override
  public Component component() {
    return JdbcSnapshots.COMPONENT;
  }
}
