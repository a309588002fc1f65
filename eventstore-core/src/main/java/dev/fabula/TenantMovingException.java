package dev.fabula;

/**
 * A write for a tenant was refused because the tenant is being moved to another database, or was
 * moved away from this one: its old database holds a write fence for it (see {@code
 * docs/tenant-databases.md}). Nothing was written, so a retry is safe; a store that routes tenants
 * over several databases ({@code TenantDatabases}) retries plain appends itself once the move has
 * switched, and throws this exception only when the move did not finish within its wait, or from a
 * unit of work (whose callback it does not run twice): retry the unit of work.
 */
public class TenantMovingException extends StoreUnavailableException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the tenant only when the caller acts for it. */
  public TenantMovingException(String message, Throwable cause) {
    super(message, cause);
  }
}
