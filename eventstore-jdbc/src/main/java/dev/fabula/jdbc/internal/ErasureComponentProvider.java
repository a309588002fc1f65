package dev.fabula.jdbc.internal;

import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentProvider;

/** Lists the erasure tables (the secret and the records) for {@code migrate}. */
public final class ErasureComponentProvider implements ComponentProvider {

  /** The ServiceLoader constructor. */
  public ErasureComponentProvider() {}

  @Override
  public Component component() {
    return JdbcErasure.COMPONENT;
  }
}
