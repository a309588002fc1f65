package dev.fabula;

/**
 * A store or unit of work confined to one tenant was asked to act for another tenant: to widen to
 * it ({@link EventStore#forTenant}, {@link Transaction#forTenant}) or to read its part of the log
 * ({@link LogQuery#tenant}). Nothing was read or changed.
 *
 * <p>Another tenant's streams are never refused with this exception: they do not exist in a
 * tenant's namespace, so a tenant learns nothing about them.
 */
public class TenantAccessException extends EventStoreException {
  private static final long serialVersionUID = 1L;
  private final String tenantId;
  private final String requestedTenantId;

  /** Creates the exception: a view of {@code tenantId} asked for {@code requestedTenantId}. */
  public TenantAccessException(String tenantId, String requestedTenantId) {
    super("a store confined to tenant '" + tenantId + "' cannot act for tenant '" + requestedTenantId
        + "'; use store.forTenant(\"" + requestedTenantId + "\") of the unconfined store");
    this.tenantId = tenantId;
    this.requestedTenantId = requestedTenantId;
  }

  /** The tenant the store or unit of work is confined to. */
  public String tenantId() {
    return tenantId;
  }

  /** The tenant it was asked to act for. */
  public String requestedTenantId() {
    return requestedTenantId;
  }
}
