package dev.fabula.spring.boot.test.autoconfigure;

import dev.fabula.RecordedEvent;
import dev.fabula.projections.Projection;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** An application as the slice finds it: a projection here, a job handler ({@link NoteHandler}) and a web component ({@link WebThing}) beside it. */
@SpringBootApplication
class SliceTestApp {

  /** Counts the events per type. */
  @Bean
  Projection eventCounts() {
    return Projection.transactional("event-counts", (handle, events) -> {
      for (RecordedEvent e : events) {
        handle.execute("INSERT INTO event_counts (type, n) VALUES (?, 1) "
            + "ON CONFLICT (type) DO UPDATE SET n = event_counts.n + 1", e.type());
      }
    });
  }
}
