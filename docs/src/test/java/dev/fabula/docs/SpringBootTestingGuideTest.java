package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.scheduler.JobContext;
import dev.fabula.scheduler.JobHandler;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.spring.boot.autoconfigure.JobType;
import dev.fabula.spring.boot.test.autoconfigure.FabulaTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

/** The testing snippet of docs/spring-boot.md: a job handler under test with @FabulaTest. */
// snippet:slice
@FabulaTest   // the store, projections and scheduler on a fresh SQLite file; database = POSTGRES for PostgreSQL
class SpringBootTestingGuideTest {

  @Configuration
  @Import(Greeter.class)   // the handler under test (a slice finds handlers by scanning your application too)
  static class Handlers {}

  @Component
  @JobType("greet")
  static class Greeter implements JobHandler {
    static final Set<String> GREETED = ConcurrentHashMap.newKeySet();

    @Override
    public JobResult handle(JobContext job) {
      GREETED.add(job.payload(String.class));
      return JobResult.success();
    }
  }

  @Autowired JobQueue jobs;

  @Test
  void the_greeter_runs() {
    jobs.enqueue(JobRequest.of("greet").withPayload("\"ada\""));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (!Greeter.GREETED.contains("ada")) {
      assertThat(Instant.now()).isBefore(deadline);
      Thread.onSpinWait();
    }
  }
}
// end
