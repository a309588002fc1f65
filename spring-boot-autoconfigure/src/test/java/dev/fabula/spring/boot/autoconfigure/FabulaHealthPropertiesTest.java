package dev.fabula.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.health.HealthConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code fabula.health.*} reach {@code HealthConfig}; a value it refuses fails start-up naming the property. */
class FabulaHealthPropertiesTest {
  @TempDir Path dir;

  private ApplicationContextRunner runner() {
    FabulaPropertiesTest properties = new FabulaPropertiesTest();
    properties.dir = dir;
    return properties.runner();
  }

  @Test
  void a_bad_health_threshold_fails_start_up_naming_the_property() {
    runner().withConfiguration(AutoConfigurations.of(FabulaHealthAutoConfiguration.class))
        .withPropertyValues("fabula.health.timeout=0s").run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause()
              .isInstanceOf(InvalidConfigurationPropertyValueException.class)
              .hasMessageContaining("fabula.health.timeout");
        });
  }

  @Test
  void health_thresholds_reach_the_health_configuration() {
    runner().withConfiguration(AutoConfigurations.of(FabulaHealthAutoConfiguration.class))
        .withPropertyValues("fabula.health.max-projection-lag=30s", "fabula.health.max-failed-jobs=10")
        .run(context -> {
          assertThat(context).hasNotFailed();
          HealthConfig config = context.getBean(HealthConfig.class);
          assertThat(config.maxProjectionLag()).isEqualTo(Duration.ofSeconds(30));
          assertThat(config.maxFailedJobs()).isEqualTo(10);
          assertThat(config.timeout()).isEqualTo(HealthConfig.DEFAULT.timeout());
        });
  }

}
