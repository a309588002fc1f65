package dev.fabula.console.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds one HTML page. Every piece of data goes through {@link #text} or {@link #attr}, which
 * escape it; only the page's own markup is appended raw. Forms post with the session's CSRF token.
 */
final class Html {
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneId.of("UTC"));
  private final StringBuilder out = new StringBuilder(4096);
  private final RequestContext ctx;

  Html(RequestContext ctx) {
    this.ctx = ctx;
  }

  /** The console's base path. */
  String base() {
    return ctx.base();
  }

  /** Escapes text for an element's content or a quoted attribute. */
  static String escape(@Nullable Object value) {
    String s = String.valueOf(value);
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            b.append("&#xFFFD;");
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** Encodes a query parameter value. */
  static String q(@Nullable Object value) {
    return URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8);
  }

  static String time(@Nullable Instant instant) {
    return instant == null ? "–" : UTC.format(instant);
  }

  static String duration(Duration d) {
    long s = d.toSeconds();
    if (s < 1) {
      return d.toMillis() + " ms";
    }
    if (s < 120) {
      return s + " s";
    }
    if (s < 7200) {
      return (s / 60) + " min";
    }
    return (s / 3600) + " h";
  }

  /** Raw markup of the page itself (never data). */
  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  /** Escaped text. */
  Html text(@Nullable Object value) {
    out.append(escape(value));
    return this;
  }

  /** An element with escaped text content, such as {@code el("h1", title)}. */
  Html el(String tag, @Nullable Object content) {
    return raw("<" + tag + ">").text(content).raw("</" + tag + ">");
  }

  /** A link to a console path (relative to the base path) with escaped text. */
  Html link(String path, @Nullable Object label) {
    return raw("<a href=\"").text(ctx.base() + path).raw("\">").text(label).raw("</a>");
  }

  /** A table header row. */
  Html head(String... columns) {
    raw("<table><thead><tr>");
    for (String c : columns) {
      el("th", c);
    }
    return raw("</tr></thead><tbody>");
  }

  /** Starts a data row. */
  Html row() {
    return raw("<tr>");
  }

  /** A cell with escaped text. */
  Html cell(@Nullable Object value) {
    return el("td", value == null ? "–" : value);
  }

  /** A cell holding a link. */
  Html cellLink(String path, @Nullable Object label) {
    return raw("<td>").link(path, label).raw("</td>");
  }

  Html endRow() {
    return raw("</tr>");
  }

  Html endTable() {
    return raw("</tbody></table>");
  }

  /** A preformatted block (payloads, errors), escaped. */
  Html pre(@Nullable Object value) {
    return el("pre", value);
  }

  /**
   * A POST form for one action with hidden fields and a button; left out when the user may not
   * take the action, so a reader sees no button that would be refused.
   */
  Html action(boolean allowed, String path, Map<String, String> fields, String label, String... extraInputs) {
    if (!allowed) {
      return this;
    }
    raw("<form method=\"post\" class=\"action\" action=\"").text(ctx.base() + path).raw("\">");
    raw("<input type=\"hidden\" name=\"csrf\" value=\"").text(ctx.csrf()).raw("\">");
    fields.forEach((k, v) -> raw("<input type=\"hidden\" name=\"").text(k).raw("\" value=\"").text(v).raw("\">"));
    for (String input : extraInputs) {
      raw(input);
    }
    return raw("<button type=\"submit\" data-action=\"").text(label).raw("\">").text(label).raw("</button></form>");
  }

  /** A "next page" link carrying the keyset cursor, or nothing on the last page. */
  Html next(String pathWithQuery, boolean more) {
    if (more) {
      raw("<p class=\"pager\">").link(pathWithQuery, "Next page →").raw("</p>");
    }
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
