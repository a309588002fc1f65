package dev.fabula.jdbc.internal;

import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentProvider;

/** Lists the personal data key table for {@code migrate}. */
public final class PersonalDataComponentProvider implements ComponentProvider {

  /** The ServiceLoader constructor. */
  public PersonalDataComponentProvider() {}

  @Override
  public Component component() {
    return JdbcKeys.COMPONENT;
  }
}
