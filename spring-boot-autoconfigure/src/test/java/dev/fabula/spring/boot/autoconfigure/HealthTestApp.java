package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.RecordedEvent;
import dev.fabula.projections.Projection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** The application of the Actuator tests: one projection that the test can hold up. */
@SpringBootConfiguration
@EnableAutoConfiguration
class HealthTestApp {
  /** Counted down when the projection meets a {@code stuck-*} stream's event; it then waits for {@link #release}. */
  static volatile CountDownLatch stuck = new CountDownLatch(1);
  static volatile CountDownLatch release = new CountDownLatch(1);

  @Bean
  Projection gate() {
    return Projection.atLeastOnce("gate", events -> {
      for (RecordedEvent e : events) {
        if (e.streamId().startsWith("stuck-")) {
          stuck.countDown();
          if (!release.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never released the projection");
          }
        }
      }
    });
  }
}
