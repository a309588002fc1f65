package dev.fabula.console;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One action taken in the console, as the audit table records it and as the console hands it to
 * the application's own audit ({@link Console.Builder#onAction}).
 *
 * @param id its id in the audit table (increasing)
 * @param at when it was taken
 * @param user who took it ({@link ConsoleUser#name()})
 * @param action what it was
 * @param target what it was taken on ({@code job 42}, {@code projection order-list v1 stream order-7})
 * @param tenantId the tenant the console was opened for, or null for an operator's console
 * @param outcome how it ended: {@code done}, {@code no change} (nothing was in a state to act on),
 *     or {@code failed: <error>}
 */
public record AuditEntry(
    long id, Instant at, String user, ConsoleAction action, String target, @Nullable String tenantId, String outcome) {}
