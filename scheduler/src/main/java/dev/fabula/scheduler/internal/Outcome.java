package dev.fabula.scheduler.internal;

import dev.fabula.scheduler.JobResult;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What one handler run came to, waiting to be written: the handler's result, or (result null)
 * the error it threw or the reason it could not run.
 */
record Outcome(Running running, Instant started, Instant finished, @Nullable JobResult result, @Nullable String error) {}
