package dev.fabula.console.internal;

import dev.fabula.console.AuditEntry;
import java.util.List;

/** The audit table, newest first, a page at a time (keyset on the id). */
final class AuditPage {
  private AuditPage() {}

  static Section.Page render(RequestContext ctx, AuditLog audit) {
    int size = ctx.config().pageSize();
    List<AuditEntry> rows = audit.page(ctx.longParam("before", 0), size + 1, ctx.tenant());
    Html h = new Html(ctx);
    h.head("#", "When", "Who", "Action", "Target", "Tenant", "Outcome");
    for (AuditEntry e : rows.subList(0, Math.min(size, rows.size()))) {
      h.row().cell(e.id()).cell(Html.time(e.at())).cell(e.user()).cell(e.action()).cell(e.target())
          .cell(e.tenantId()).cell(e.outcome()).endRow();
    }
    h.endTable();
    if (rows.isEmpty()) {
      h.el("p", "No action was taken in the console yet.");
    }
    h.next("/audit?before=" + (rows.size() > size ? rows.get(size - 1).id() : 0), rows.size() > size);
    return new Section.Page("Audit", h.toString());
  }
}
