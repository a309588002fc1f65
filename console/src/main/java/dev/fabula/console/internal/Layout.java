package dev.fabula.console.internal;

import dev.fabula.console.ConsoleConfig;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The frame of every page: head, navigation, who is signed in, the last action's message. */
final class Layout {
  static final String CSS = """
      body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
      header{background:#1d2330;color:#fff;padding:.6em 1.2em;display:flex;gap:1.2em;align-items:center;flex-wrap:wrap}
      header a{color:#cfe0ff;text-decoration:none}header a:hover{text-decoration:underline}
      header .brand{font-weight:700;color:#fff}header .who{margin-left:auto;color:#aab}
      header form{display:inline}main{padding:1em 1.4em;max-width:1200px}
      table{border-collapse:collapse;background:#fff;width:100%;margin:.6em 0 1.2em}
      th,td{border-bottom:1px solid #e3e6eb;padding:.35em .6em;text-align:left;vertical-align:top}
      th{background:#eef1f5;font-weight:600}pre{background:#fff;border:1px solid #e3e6eb;padding:.8em;overflow:auto;white-space:pre-wrap;word-break:break-all}
      .flash{background:#e8f4ea;border:1px solid #9cc9a4;padding:.5em .8em}
      .state-FAILED,.state-STOPPED,.on{color:#b3261e;font-weight:600}.state-RUNNING,.state-SUCCEEDED,.passed{color:#1e7a34}
      form.action{display:inline-block;margin:0 .3em .3em 0}button{cursor:pointer}
      .pager{margin:.4em 0 1.4em}.muted{color:#667}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}
      dt{font-weight:600}.filters a{margin-right:.8em}
      """;

  private Layout() {}

  static String page(RequestContext ctx, List<Section> sections, @Nullable String flash, Section.Page page) {
    Html h = new Html(ctx);
    start(h, page.title());
    h.raw("<header><a class=\"brand\" href=\"").text(ctx.base() + "/").raw("\">Fabula console</a>");
    for (Section s : sections) {
      h.link("/" + s.segment(), s.label());
    }
    h.link("/audit", "Audit");
    h.raw("<span class=\"who\">").text(ctx.user().name());
    if (ctx.tenant() != null) {
      h.text(" · tenant " + ctx.tenant());
    }
    if (ctx.config().readOnly()) {
      h.text(" · read-only");
    }
    h.raw("</span>");
    h.raw("<form method=\"post\" action=\"").text(ctx.base() + "/sign-out").raw("\">")
        .raw("<input type=\"hidden\" name=\"csrf\" value=\"").text(ctx.csrf()).raw("\">")
        .raw("<button type=\"submit\">Sign out</button></form></header><main>");
    if (flash != null) {
      h.raw("<p class=\"flash\" role=\"status\">").text(flash).raw("</p>");
    }
    h.el("h1", page.title()).raw(page.body()).raw("</main></body></html>");
    return h.toString();
  }

  static String signIn(ConsoleConfig config, String csrf, boolean offersSignIn, @Nullable String error) {
    Html h = new Html(new RequestContext(
        dev.fabula.console.ConsoleRequest.of("GET", config.basePath(), java.util.Map.of(), new byte[0], null),
        config, dev.fabula.console.ConsoleUser.reader("anonymous"), csrf));
    start(h, "Sign in");
    h.raw("<main><h1>Fabula console</h1>");
    if (error != null) {
      h.raw("<p class=\"flash\" role=\"alert\">").text(error).raw("</p>");
    }
    if (offersSignIn) {
      h.raw("<form method=\"post\" action=\"").text(config.basePath() + "/sign-in").raw("\">")
          .raw("<input type=\"hidden\" name=\"csrf\" value=\"").text(csrf).raw("\">")
          .raw("<label>Token <input type=\"password\" name=\"token\" autocomplete=\"current-password\" autofocus></label> ")
          .raw("<button type=\"submit\">Sign in</button></form>");
    } else {
      h.el("p", "Sign in through the application first; this console takes its users from there.");
    }
    return h.raw("</main></body></html>").toString();
  }

  private static void start(Html h, String title) {
    h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .raw("<meta name=\"referrer\" content=\"no-referrer\">")
        .raw("<title>").text(title + " · Fabula console").raw("</title>")
        .raw("<link rel=\"stylesheet\" href=\"").text(h.base() + "/console.css").raw("\"></head><body>");
  }
}
