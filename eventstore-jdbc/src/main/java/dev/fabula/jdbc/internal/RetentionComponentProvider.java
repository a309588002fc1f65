package dev.fabula.jdbc.internal;

import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentProvider;

/** Lists the retention tables (removals, cold storage) for {@code migrate}. */
public final class RetentionComponentProvider implements ComponentProvider {

  /** The ServiceLoader constructor. */
  public RetentionComponentProvider() {}

  @Override
  public Component component() {
    return JdbcRetention.COMPONENT;
  }
}
