package dev.fabula.projections.internal;

import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.spi.Dialect;

/**
 * A stream as the dead letters name it: its tenant ({@code ''} for none, as {@link
 * Dialect#tenantKey}) and its id. Two tenants' streams of one id are two streams.
 */
record StreamKey(String tenantKey, String streamId) {
  static StreamKey of(RecordedEvent e) {
    return new StreamKey(Dialect.tenantKey(e.metadata().tenantId()), e.streamId());
  }

  /** How logs and reasons name it: {@code 'order-1'}, or {@code 'order-1' of tenant 'acme'}. */
  @Override
  public String toString() {
    return "'" + streamId + "'" + (tenantKey.isEmpty() ? "" : " of tenant '" + tenantKey + "'");
  }
}
