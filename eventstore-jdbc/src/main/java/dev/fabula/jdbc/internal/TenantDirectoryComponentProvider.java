package dev.fabula.jdbc.internal;

import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentProvider;

/** Lists the tenant directory's table for {@code migrate}. */
public final class TenantDirectoryComponentProvider implements ComponentProvider {

  /** The ServiceLoader constructor. */
  public TenantDirectoryComponentProvider() {}

  @Override
  public Component component() {
    return TableDirectory.COMPONENT;
  }
}
