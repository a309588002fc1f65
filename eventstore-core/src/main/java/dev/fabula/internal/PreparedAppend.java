package dev.fabula.internal;

import dev.fabula.ExpectedVersion;
import java.util.List;

/**
 * One stream's validated append.
 *
 * @param streamId the stream
 * @param expected the expected version
 * @param events the events, at least one
 */
public record PreparedAppend(String streamId, ExpectedVersion expected, List<PreparedEvent> events) {}
