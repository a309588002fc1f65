package dev.fabula.console.internal;

import dev.fabula.console.ConsoleAction;
import dev.fabula.projections.ParkedEvent;
import dev.fabula.projections.ProjectionException;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionState;
import dev.fabula.projections.ProjectionStatus;
import dev.fabula.projections.SegmentStatus;
import dev.fabula.projections.Projections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Projections: each version's state, lag and what it waits for; one version's parked events with
 * retry and dismiss; rebuild and resume; which version serves readers and promote ({@link
 * BlueGreen}). A tenant's console shows each version's state and only the tenant's parked events,
 * and offers retry and dismiss on those only.
 */
final class ProjectionSection implements Section {
  private final Projections projections;
  private final BlueGreen blueGreen;

  ProjectionSection(Projections projections) {
    this.projections = projections;
    this.blueGreen = new BlueGreen(projections);
  }

  @Override
  public String segment() {
    return "projections";
  }

  @Override
  public String label() {
    return "Projections";
  }

  @Override
  public @Nullable Page get(RequestContext ctx, List<String> rest) {
    if (rest.isEmpty()) {
      return list(ctx);
    }
    return rest.size() == 2 ? detail(ctx, id(rest)) : null;
  }

  private Page list(RequestContext ctx) {
    boolean operator = ctx.tenant() == null;
    Html h = new Html(ctx);
    if (operator) {
      h.head("Projection", "State", "Checkpoint", "Head", "Lag (events)", "Lag (time)", "Waiting for", "Parked", "Owner",
          "Readers", "Last error");
    } else {
      h.head("Projection", "State", "Your parked events");
    }
    List<ProjectionStatus> statuses = projections.statuses();
    Map<String, java.util.OptionalInt> serving = operator ? blueGreen.serving(statuses) : Map.of();
    for (ProjectionStatus s : statuses) {
      h.row().cellLink(path(s.id()), s.id()).raw("<td class=\"state-" + s.state().name() + "\">").text(s.state()).raw("</td>");
      if (operator) {
        h.cell(s.checkpoint()).cell(s.head())
            .cell(s.lagEvents() >= ProjectionStatus.LAG_COUNT_CAP ? "≥ " + s.lagEvents() : s.lagEvents())
            .cell(s.state() == ProjectionState.REBUILDING ? "rebuilding: " + s.checkpoint() + " of " + s.head()
                : Html.duration(s.lag()))
            .cell(waitingFor(s)).cell(s.parkedEvents()).cell(s.owner()).cell(BlueGreen.readers(s, serving.get(s.id().name())))
            .cell(s.lastError());
      } else {
        h.cell(parked(s.id(), ctx.tenant()).size());
      }
      h.endRow();
    }
    h.endTable();
    return new Page("Projections", h.toString());
  }

  private @Nullable Page detail(RequestContext ctx, ProjectionId id) {
    ProjectionStatus s;
    try {
      s = projections.status(id);
    } catch (ProjectionException e) {
      return null;
    }
    Html h = new Html(ctx);
    h.raw("<dl>");
    h.el("dt", "State").raw("<dd class=\"state-" + s.state().name() + "\">").text(s.state()).raw("</dd>");
    if (ctx.tenant() == null) {
      h.el("dt", "Checkpoint / head").el("dd", s.checkpoint() + " / " + s.head());
      h.el("dt", "Lag").el("dd", s.lagEvents() + " events, " + Html.duration(s.lag()));
      h.el("dt", "Waiting for").el("dd", Objects.requireNonNullElse(waitingFor(s), "–"));
      h.el("dt", "Owner").el("dd", s.owner() == null ? "none" : s.owner() + " until " + Html.time(s.leaseUntil()));
      h.el("dt", "Updated").el("dd", Html.time(s.updatedAt()));
      if (s.failedPosition() != null) {
        h.el("dt", "Failed at position").el("dd", s.failedPosition());
      }
    }
    h.raw("</dl>");
    if (ctx.tenant() == null && s.lastError() != null) {
      h.el("h2", "Last error").pre(s.lastError());
    }
    if (ctx.tenant() == null && s.segments().size() > 1) {
      // A projection that runs as segments (docs/segments.md): each with its own checkpoint and lease.
      h.el("h2", "Segments (" + s.segments().size() + ")");
      h.head("Segment", "Mask", "Checkpoint", "State", "Owner", "Lease until", "Fencing token", "Skips until", "Last error");
      for (SegmentStatus seg : s.segments()) {
        h.row().cell(seg.segment()).cell(seg.mask()).cell(seg.checkpoint()).cell(seg.state())
            .cell(seg.owner() == null ? "none" : seg.owner()).cell(seg.leaseUntil() == null ? "–" : Html.time(seg.leaseUntil()))
            .cell(seg.fencingToken()).cell(seg.skipUntil() == null ? "–" : seg.skipUntil())
            .cell(seg.lastError() == null ? "" : seg.lastError()).endRow();
      }
      h.endTable();
    }
    String base = path(id);
    h.action(ctx.may(ConsoleAction.RESUME_PROJECTION) && s.state() == ProjectionState.FAILED, base + "/resume", Map.of(),
        "Resume");
    h.action(ctx.may(ConsoleAction.REBUILD_PROJECTION), base + "/rebuild", Map.of(), "Rebuild");
    if (ctx.tenant() == null) {
      blueGreen.versions(h, ctx, id);
    }

    List<ParkedEvent> parked = parked(id, ctx.tenant());
    long after = ctx.longParam("after", 0);
    int size = ctx.config().pageSize();
    List<ParkedEvent> page = parked.stream().filter(p -> p.position() > after).limit(size + 1L).toList();
    h.el("h2", "Parked events (" + parked.size() + ")");
    h.head("Position", "Stream", "Tenant", "Version", "Type", "Status", "Waits behind", "Attempts", "Reason", "Parked", "");
    for (ParkedEvent p : page.subList(0, Math.min(size, page.size()))) {
      h.row().cellLink("/events/" + p.position(), p.position()).cell(p.streamId()).cell(p.tenantId()).cell(p.streamVersion())
          .cell(p.type()).cell(p.status()).cell(p.blockedBy()).cell(p.attempts()).raw("<td>").pre(p.reason()).raw("</td>")
          .cell(Html.time(p.parkedAt())).raw("<td>");
      Map<String, String> stream = new java.util.LinkedHashMap<>();
      stream.put("stream", p.streamId());
      stream.put("tenant", p.tenantId() == null ? "" : p.tenantId());
      h.action(ctx.may(ConsoleAction.RETRY_PARKED) && p.status() == ParkedEvent.Status.PARKED, base + "/retry", stream,
          "Retry stream");
      h.action(ctx.may(ConsoleAction.DISMISS_PARKED), base + "/dismiss", Map.of("position", Long.toString(p.position())),
          "Dismiss", "<input name=\"reason\" placeholder=\"reason\" size=\"12\" required> ");
      h.raw("</td>").endRow();
    }
    h.endTable();
    h.next(base + "?after=" + (page.size() > size ? page.get(size - 1).position() : 0), page.size() > size);
    return new Page("Projection " + id, h.toString());
  }

  @Override
  public @Nullable Action post(RequestContext ctx, List<String> rest) {
    if (rest.size() != 3) {
      return null;
    }
    ProjectionId id = id(rest);
    String then = path(id);
    return switch (rest.get(2)) {
      case "retry" -> {
        String stream = ctx.field("stream");
        String tenant = ctx.tenant() != null ? ctx.tenant() : ctx.field("tenant").isEmpty() ? null : ctx.field("tenant");
        if (stream.isEmpty()) {
          throw new Rejected(400, "Name the stream to retry.");
        }
        yield new Action(ConsoleAction.RETRY_PARKED, "projection " + id + " stream " + (tenant == null ? "" : tenant + "/")
            + stream, () -> projections.retryParked(id, tenant, stream) > 0, then);
      }
      case "dismiss" -> {
        long position = EventSection.parse(ctx.field("position"));
        String reason = ctx.field("reason").isBlank() ? "dismissed in the console" : ctx.field("reason");
        if (ctx.tenant() != null && parked(id, ctx.tenant()).stream().noneMatch(p -> p.position() == position)) {
          throw new Rejected(404, "Not found");
        }
        yield new Action(ConsoleAction.DISMISS_PARKED, "projection " + id + " position " + position,
            () -> projections.dismissParked(id, position, reason + " (by " + ctx.user().name() + ")"), then);
      }
      case "rebuild" -> new Action(ConsoleAction.REBUILD_PROJECTION, "projection " + id, () -> {
        projections.rebuild(id);
        return true;
      }, then);
      case "promote" -> blueGreen.promote(id, then);
      case "resume" -> new Action(ConsoleAction.RESUME_PROJECTION, "projection " + id, () -> projections.resume(id), then);
      default -> null;
    };
  }

  /** The waiting parked events of a version, only {@code tenant}'s when set. */
  private List<ParkedEvent> parked(ProjectionId id, @Nullable String tenant) {
    return projections.parked(id).stream().filter(p -> tenant == null || tenant.equals(p.tenantId())).toList();
  }

  private static @Nullable String waitingFor(ProjectionStatus s) {
    if (s.blockedBy() != null) {
      return "in-flight transaction (pid " + s.blockedBy().pid() + ", from position " + s.blockedBy().fromPosition()
          + (s.blockedBy().since() == null ? "" : ", since " + Html.time(s.blockedBy().since())) + ")";
    }
    return s.waitingFor();
  }

  /** The console path of a projection version's page. */
  static String path(ProjectionId id) {
    return "/projections/" + Html.q(id.name()) + "/" + id.version();
  }

  private static ProjectionId id(List<String> rest) {
    try {
      return ProjectionId.of(rest.get(0), Integer.parseInt(rest.get(1)));
    } catch (RuntimeException e) {
      throw new Rejected(404, "Not found");
    }
  }
}
