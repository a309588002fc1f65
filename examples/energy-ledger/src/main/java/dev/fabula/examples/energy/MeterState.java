package dev.fabula.examples.energy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What {@link Meter} needs to decide: every reading (voided ones too) and the purchase ids seen.
 * Immutable.
 *
 * @param readings the readings by id
 * @param purchaseIds the purchases recorded
 */
public record MeterState(Map<String, Reading> readings, Set<String> purchaseIds) {

  /** A meter without history. */
  public static final MeterState EMPTY = new MeterState(Map.of(), Set.of());

  /** Copies the collections. */
  public MeterState {
    readings = Map.copyOf(readings);
    purchaseIds = Set.copyOf(purchaseIds);
  }

  /**
   * One reading as it stands now.
   *
   * @param registerKwh its (possibly corrected) value
   * @param readAt its (possibly corrected) time
   * @param voided whether it was voided
   */
  public record Reading(BigDecimal registerKwh, Instant readAt, boolean voided) {}

  MeterState withReading(String id, Reading reading) {
    Map<String, Reading> next = new HashMap<>(readings);
    next.put(id, reading);
    return new MeterState(next, purchaseIds);
  }

  MeterState withPurchase(String id) {
    Set<String> next = new HashSet<>(purchaseIds);
    next.add(id);
    return new MeterState(readings, next);
  }
}
