package dev.fabula;

/** A tenant-confined store touched a stream that belongs to another tenant (or to none). Nothing was changed. */
public class TenantAccessException extends EventStoreException {
  private static final long serialVersionUID = 1L;
  private final String streamId;
  private final String tenantId;

  /** Creates the exception: {@code tenantId} may not touch {@code streamId}. */
  public TenantAccessException(String streamId, String tenantId) {
    super("stream '" + streamId + "' does not belong to tenant '" + tenantId
        + "'; use the store of the tenant that owns it, or the unconfined store");
    this.streamId = streamId;
    this.tenantId = tenantId;
  }

  /** The stream that was touched. */
  public String streamId() {
    return streamId;
  }

  /** The tenant that touched it. */
  public String tenantId() {
    return tenantId;
  }
}
