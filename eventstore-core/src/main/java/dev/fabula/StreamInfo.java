package dev.fabula;

import org.jspecify.annotations.Nullable;

/**
 * A stream's current state.
 *
 * @param streamId the stream
 * @param version its version: the number of events appended to it
 * @param tenantId the tenant that owns it, or null
 * @param deleted whether it was deleted (it then can be neither read nor appended to)
 */
public record StreamInfo(String streamId, long version, @Nullable String tenantId, boolean deleted) {}
