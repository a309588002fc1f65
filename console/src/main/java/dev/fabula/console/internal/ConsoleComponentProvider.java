package dev.fabula.console.internal;

import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentProvider;

/** Lists the console's audit table for {@code migrate}. */
public final class ConsoleComponentProvider implements ComponentProvider {

  /** The ServiceLoader constructor. */
  public ConsoleComponentProvider() {}

  @Override
  public Component component() {
    return AuditLog.COMPONENT;
  }

  @Override
  public dev.fabula.spi.ErasureParticipant erasure(dev.fabula.jdbc.spi.ComponentDatabase db) {
    return new ConsoleErasure(db);
  }
}
