package dev.fabula.console.internal;

import dev.fabula.console.ConsoleAction;
import dev.fabula.console.ConsoleException;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionState;
import dev.fabula.projections.ProjectionStatus;
import dev.fabula.projections.ProjectionTimeoutException;
import dev.fabula.projections.Projections;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Blue/green on the projection pages: which version of a projection serves readers ({@link
 * Projections#servingVersion}), how far each other version has caught up, and the promote action.
 *
 * <p>{@link Projections#promote} waits until the version reaches the head of the log, up to its
 * timeout. A console request must not hang on a version that is hours behind, so the action first
 * refuses a version that has not caught up (or is rebuilding, or FAILED) with what it waits for,
 * and then promotes with a short wait that only covers the events appended meanwhile; if even that
 * runs out, the refusal says so. Either refusal is audited as {@code failed: …}.
 */
final class BlueGreen {
  /** How long a promote may wait for the events appended between the check and the promotion. */
  static final Duration PROMOTE_WAIT = Duration.ofSeconds(2);
  private final Projections projections;

  BlueGreen(Projections projections) {
    this.projections = projections;
  }

  /** The serving version of each projection name in {@code statuses}, read once per name. */
  Map<String, OptionalInt> serving(List<ProjectionStatus> statuses) {
    Map<String, OptionalInt> serving = new java.util.HashMap<>();
    statuses.forEach(s -> serving.computeIfAbsent(s.id().name(), projections::servingVersion));
    return serving;
  }

  /** What readers make of a version: whether it serves them, or is a candidate beside the one that does. */
  static String readers(ProjectionStatus s, OptionalInt serving) {
    if (serving.isEmpty()) {
      return "–";
    }
    return serving.getAsInt() == s.id().version() ? "serves readers" : "candidate (v" + serving.getAsInt() + " serves)";
  }

  /** How far a version has caught up with the head of the log. */
  static String catchUp(ProjectionStatus s) {
    if (s.state() == ProjectionState.FAILED) {
      return "FAILED" + (s.failedPosition() == null ? "" : " at position " + s.failedPosition());
    }
    if (s.state() == ProjectionState.REBUILDING) {
      return "rebuilding: " + s.checkpoint() + " of " + s.head();
    }
    if (s.caughtUp()) {
      return "caught up";
    }
    return (s.lagEvents() >= ProjectionStatus.LAG_COUNT_CAP ? "≥ " : "") + s.lagEvents() + " events behind (at "
        + s.checkpoint() + " of " + s.head() + ")";
  }

  /** Why {@code s} cannot be promoted now, or null when it can. */
  private static @Nullable String notReady(ProjectionStatus s) {
    if (s.state() == ProjectionState.FAILED) {
      return "is FAILED" + (s.failedPosition() == null ? "" : " at position " + s.failedPosition())
          + "; resume or rebuild it, and promote it once it has caught up";
    }
    if (s.state() == ProjectionState.REBUILDING || !s.caughtUp()) {
      return "has not caught up with the log: " + catchUp(s) + "; readers would miss events. Keep its runner "
          + "running and promote it once the versions table says it has caught up";
    }
    return null;
  }

  /** The versions of {@code id}'s projection, each with its catch-up, whom it serves, and promote. */
  void versions(Html h, RequestContext ctx, ProjectionId id) {
    List<ProjectionStatus> versions = projections.statuses().stream().filter(s -> s.id().name().equals(id.name()))
        .sorted(Comparator.comparingInt(s -> s.id().version())).toList();
    OptionalInt serving = projections.servingVersion(id.name());
    h.el("h2", "Versions of " + id.name());
    h.raw("<p id=\"serving\">").text(serving.isEmpty() ? "No version was promoted: readers use whichever version the "
        + "application reads." : "Readers use v" + serving.getAsInt() + ".").raw("</p>");
    h.head("Version", "State", "Catch-up", "Readers", "");
    for (ProjectionStatus s : versions) {
      h.row().cellLink(ProjectionSection.path(s.id()), s.id()).raw("<td class=\"state-" + s.state().name() + "\">")
          .text(s.state()).raw("</td>").cell(catchUp(s)).cell(readers(s, serving)).raw("<td>");
      boolean serves = serving.isPresent() && serving.getAsInt() == s.id().version();
      if (!serves && notReady(s) == null) {
        h.action(ctx.may(ConsoleAction.PROMOTE_PROJECTION), ProjectionSection.path(s.id()) + "/promote", Map.of(),
            "Promote " + s.id());
      } else if (!serves) {
        h.text("promote once caught up");
      }
      h.raw("</td>").endRow();
    }
    h.endTable();
  }

  /** The promote action: refused (failed, audited) unless the version has caught up; no change if it serves already. */
  Section.Action promote(ProjectionId id, String then) {
    return new Section.Action(ConsoleAction.PROMOTE_PROJECTION, "projection " + id, () -> {
      if (projections.servingVersion(id.name()).orElse(-1) == id.version()) {
        return false;
      }
      String why = notReady(projections.status(id));
      if (why != null) {
        throw new ConsoleException("projection " + id + " " + why);
      }
      try {
        projections.promote(id, PROMOTE_WAIT);
      } catch (ProjectionTimeoutException e) {
        throw new ConsoleException("projection " + id + " has not caught up with the log within " + PROMOTE_WAIT.toSeconds()
            + " s (" + e.getMessage() + "); promote it once the versions table says it has caught up", e);
      }
      return true;
    }, then);
  }
}
