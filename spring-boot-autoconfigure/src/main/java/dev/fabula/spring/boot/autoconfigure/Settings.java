package dev.fabula.spring.boot.autoconfigure;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Applies {@code fabula.*} properties to the library's immutable configuration records, one wither
 * at a time, so that a value the library refuses fails start-up naming the property (Spring Boot's
 * failure analyzer prints it with the library's reason and how to fix it). Unset properties keep
 * the record's default: no default is repeated here.
 */
final class Settings<C> {
  private C config;

  private Settings(C config) {
    this.config = config;
  }

  static <C> Settings<C> from(C defaults) {
    return new Settings<>(defaults);
  }

  /** Applies {@code value} of {@code property} with {@code wither}, unless it is unset (null). */
  <V> Settings<C> set(String property, @Nullable V value, java.util.function.BiFunction<C, V, C> wither) {
    if (value != null) {
      try {
        config = wither.apply(config, value);
      } catch (RuntimeException e) {
        throw new InvalidConfigurationPropertyValueException(property, value, e.getMessage());
      }
    }
    return this;
  }

  /** Applies a change that reads the record as it is now (for withers of several values). */
  Settings<C> with(String property, @Nullable Object value, Function<C, C> change) {
    return set(property, value, (c, v) -> change.apply(c));
  }

  C get() {
    return config;
  }
}
