package dev.fabula.spring.boot.test.autoconfigure;

import dev.fabula.scheduler.JobContext;
import dev.fabula.scheduler.JobHandler;
import dev.fabula.scheduler.JobResult;
import dev.fabula.spring.boot.autoconfigure.JobType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Writes the job's payload to a table: a component the slice keeps. */
@Component
@JobType("note")
class NoteHandler implements JobHandler {
  private final JdbcTemplate jdbc;

  NoteHandler(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public JobResult handle(JobContext job) {
    jdbc.update("INSERT INTO notes (text) VALUES (?)", job.payload(String.class));
    return JobResult.success();
  }
}
