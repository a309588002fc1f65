package dev.fabula.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing the application context stops the worker pool by letting a running job finish (within
 * {@code fabula.scheduler.shutdown-timeout}) before the store closes.
 */
class GracefulShutdownTest {
  @TempDir Path dir;

  @Test
  void closing_the_context_waits_for_a_running_job_to_finish() throws Exception {
    FabulaTestApp.Slow.started = new CountDownLatch(1);
    FabulaTestApp.Slow.release = new CountDownLatch(1);
    FabulaTestApp.Slow.finished = false;
    ConfigurableApplicationContext context = new SpringApplicationBuilder(FabulaTestApp.class)
        .properties(
            "spring.datasource.url=jdbc:sqlite:" + dir.resolve("shutdown.db"),
            "spring.datasource.hikari.data-source-properties.journal_mode=WAL",
            "spring.datasource.hikari.data-source-properties.transaction_mode=IMMEDIATE",
            "spring.datasource.hikari.data-source-properties.busy_timeout=10000",
            "spring.sql.init.mode=always",
            "spring.sql.init.schema-locations=classpath:fabula-test-schema.sql",
            "fabula.jdbc.migrate-on-open=true",
            "fabula.scheduler.poll-interval=100ms",
            "fabula.scheduler.shutdown-timeout=20s")
        .run();
    context.getBean(JobQueue.class).enqueue(JobRequest.of("slow"));
    assertThat(FabulaTestApp.Slow.started.await(20, TimeUnit.SECONDS)).as("the slow job started").isTrue();

    Thread closer = new Thread(context::close, "closer");
    closer.start();
    closer.join(300);
    assertThat(closer.isAlive()).as("closing waits for the running job").isTrue();
    assertThat(context.isActive()).isTrue();

    FabulaTestApp.Slow.release.countDown();
    closer.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(closer.isAlive()).isFalse();
    assertThat(FabulaTestApp.Slow.finished).as("the job finished before the context closed").isTrue();
  }
}
