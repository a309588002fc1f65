package dev.fabula.console.internal;

import java.util.List;

/** The first page: one line per section, pointing to it. */
final class Overview {
  private Overview() {}

  static Section.Page render(RequestContext ctx, List<Section> sections) {
    Html h = new Html(ctx);
    h.raw("<ul>");
    for (Section s : sections) {
      h.raw("<li>").link("/" + s.segment(), s.label()).raw("</li>");
    }
    h.raw("<li>").link("/audit", "Audit: the actions taken in this console").raw("</li></ul>");
    if (ctx.tenant() != null) {
      h.el("p", "This console shows tenant " + ctx.tenant() + " only.");
    }
    return new Section.Page("Overview", h.toString());
  }
}
