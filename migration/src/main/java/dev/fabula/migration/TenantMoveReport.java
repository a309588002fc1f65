package dev.fabula.migration;

import java.time.Duration;

/**
 * What a {@link TenantMove} did.
 *
 * @param tenantId the tenant
 * @param from the database it left
 * @param to the database it lives in now
 * @param eventsCopied events copied by this run (a resumed move counts only what it copied)
 * @param catchUpRounds catch-up rounds before the fence
 * @param eventsCopiedFenced of those, events copied while the tenant's writes were fenced
 * @param fenced how long the tenant's writes were fenced
 * @param parity the per-stream comparison of the two databases that allowed the switch
 * @param keys the comparison of the tenant's data keys (per data subject) and erasure records
 */
public record TenantMoveReport(
    String tenantId,
    String from,
    String to,
    long eventsCopied,
    int catchUpRounds,
    long eventsCopiedFenced,
    Duration fenced,
    ParityReport parity,
    ParityReport keys) {}
