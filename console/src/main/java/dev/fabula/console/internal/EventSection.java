package dev.fabula.console.internal;

import dev.fabula.EventStore;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamRead;
import dev.fabula.jdbc.JdbcEventStore;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The event log: the global log a page at a time (keyset on the position), one stream (keyset on
 * its version), and one event with its payload as readers see it (upcasters applied). Lists show
 * no payloads; the head position stands in for a count. A tenant's console reads through the
 * tenant's view, so it never sees another tenant's events.
 */
final class EventSection implements Section {
  private final JdbcEventStore store;

  EventSection(JdbcEventStore store) {
    this.store = store;
  }

  @Override
  public String segment() {
    return "events";
  }

  @Override
  public String label() {
    return "Event log";
  }

  @Override
  public @Nullable Action post(RequestContext ctx, List<String> rest) {
    return null;
  }

  @Override
  public @Nullable Page get(RequestContext ctx, List<String> rest) {
    if (rest.size() == 1) {
      return event(ctx, parse(rest.get(0)));
    }
    if (!rest.isEmpty()) {
      return null;
    }
    String stream = ctx.param("stream").orElse(null);
    return stream == null ? log(ctx) : stream(ctx, stream);
  }

  private Page log(RequestContext ctx) {
    int size = ctx.config().pageSize();
    long head = store.headPosition();
    long after = ctx.longParam("after", ctx.tenant() == null ? Math.max(0, head - size) : 0);
    String tenant = tenant(ctx);
    List<RecordedEvent> events;
    try (Stream<RecordedEvent> s = store.readAll(LogQuery.after(Math.max(0, after)).tenant(tenant).limit(size + 1L).acceptAllRemovals())) {
      events = s.toList();
    }
    Html h = new Html(ctx);
    h.raw("<form method=\"get\" action=\"").text(ctx.base() + "/events").raw("\">")
        .raw("<label>Stream <input name=\"stream\" size=\"40\"></label> ");
    if (ctx.tenant() == null) {
      h.raw("<label>Tenant <input name=\"tenant\" size=\"16\" value=\"").text(tenant == null ? "" : tenant).raw("\"></label> ");
    }
    h.raw("<button type=\"submit\">Show</button></form>");
    h.raw("<p class=\"muted\">").text((ctx.tenant() == null ? "About " + head + " events in the log; s" : "S")
        + "howing positions after " + after + ". ").link("/events?after=0", "Oldest").text(" · ")
        .link("/events", "Latest").raw("</p>");
    table(h, events.subList(0, Math.min(size, events.size())));
    if (events.isEmpty()) {
      h.el("p", "No events after this position.");
    }
    h.next("/events?after=" + (events.size() > size ? events.get(size - 1).position() : 0) + tenantQuery(tenant),
        events.size() > size);
    return new Page("Event log", h.toString());
  }

  private Page stream(RequestContext ctx, String streamId) {
    int size = ctx.config().pageSize();
    long from = Math.max(1, ctx.longParam("from", 1));
    List<RecordedEvent> events = view(ctx).readStream(streamId, StreamRead.forwards().from(from).limit(size + 1));
    Html h = new Html(ctx);
    h.raw("<p>").link("/events", "← the whole log").raw("</p>");
    table(h, events.subList(0, Math.min(size, events.size())));
    if (events.isEmpty()) {
      h.el("p", "This stream has no events from version " + from + " on.");
    }
    h.next("/events?stream=" + Html.q(streamId) + tenantQuery(tenant(ctx)) + "&from="
        + (events.size() > size ? events.get(size).streamVersion() : 0), events.size() > size);
    return new Page("Stream " + streamId, h.toString());
  }

  private @Nullable Page event(RequestContext ctx, long position) {
    if (position < 1) {
      return null;
    }
    RecordedEvent e;
    try (Stream<RecordedEvent> s = store.readAll(LogQuery.after(position - 1).limit(1).acceptAllRemovals())) {
      e = s.findFirst().filter(found -> found.position() == position)
          .filter(found -> ctx.tenant() == null || ctx.tenant().equals(found.metadata().tenantId())).orElse(null);
    }
    if (e == null) {
      return null;
    }
    Html h = new Html(ctx);
    h.raw("<dl>");
    Map<String, Object> facts = new java.util.LinkedHashMap<>();
    facts.put("Position", e.position());
    facts.put("Stream", e.streamId());
    facts.put("Version", e.streamVersion());
    facts.put("Type", e.type() + store.types().classOf(e.type()).map(c -> " (" + c.getName() + ")").orElse(""));
    facts.put("Schema version (after upcasting)", e.schemaVersion());
    facts.put("Event id", e.eventId());
    facts.put("Recorded", Html.time(e.recordedAt()));
    facts.put("Tenant", e.metadata().tenantId() == null ? "–" : e.metadata().tenantId());
    facts.put("Correlation", e.metadata().correlationId());
    facts.put("Causation", e.metadata().causationId());
    facts.put("Actor", e.metadata().actor());
    facts.forEach((k, v) -> h.el("dt", k).el("dd", v == null ? "–" : v));
    h.raw("</dl><p>").link("/events?stream=" + Html.q(e.streamId()) + tenantQuery(e.metadata().tenantId()), "The whole stream")
        .raw("</p>");
    h.el("h2", "Payload").pre(e.payload().toPrettyString());
    if (!e.metadata().entries().isEmpty()) {
      h.el("h2", "Metadata entries").pre(e.metadata().entries());
    }
    return new Page("Event " + e.position(), h.toString());
  }

  /** The console's tenant; in an operator's console, the tenant asked for (null: no filter, or the unconfined store). */
  private static @Nullable String tenant(RequestContext ctx) {
    return ctx.tenant() != null ? ctx.tenant() : ctx.param("tenant").orElse(null);
  }

  private EventStore view(RequestContext ctx) {
    String tenant = tenant(ctx);
    return tenant == null ? store : store.forTenant(tenant);
  }

  private static String tenantQuery(@Nullable String tenant) {
    return tenant == null ? "" : "&tenant=" + Html.q(tenant);
  }

  private static void table(Html h, List<RecordedEvent> events) {
    h.head("Position", "Stream", "Version", "Type", "Tenant", "Recorded");
    for (RecordedEvent e : events) {
      h.row().cellLink("/events/" + e.position(), e.position())
          .cellLink("/events?stream=" + Html.q(e.streamId()) + tenantQuery(e.metadata().tenantId()), e.streamId())
          .cell(e.streamVersion()).cell(e.type()).cell(e.metadata().tenantId()).cell(Html.time(e.recordedAt())).endRow();
    }
    h.endTable();
  }

  static long parse(String number) {
    try {
      return Long.parseLong(number);
    } catch (NumberFormatException e) {
      throw new Rejected(404, "Not found");
    }
  }
}
