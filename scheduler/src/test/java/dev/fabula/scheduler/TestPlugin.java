package dev.fabula.scheduler;

import dev.fabula.scheduler.spi.JobHandlerProvider;

/** A job handler plugin found through META-INF/services. */
public final class TestPlugin implements JobHandlerProvider {
  static final String TYPE = "plugin-job";

  @Override
  public String name() {
    return "test-plugin";
  }

  @Override
  public void registerHandlers(JobQueue queue) {
    queue.register(TYPE, ctx -> JobResult.success("{\"by\":\"plugin\"}"));
  }
}
