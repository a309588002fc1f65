package dev.fabula.console.internal;

import dev.fabula.console.ConsoleAction;
import dev.fabula.migration.FailedRow;
import dev.fabula.migration.ImportStatus;
import dev.fabula.migration.Migrations;
import dev.fabula.migration.ParityReport;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The migration toolkit: each import's progress with its failed rows (keyset-paged), the captured
 * changes waiting per legacy table, the read switches, and the parity checks the application
 * registered with their last report. Read-only but for running a parity check (an audited action:
 * it only reads, yet both its queries may be heavy). The toolkit's tables record no tenant, so the
 * section concerns every tenant and a tenant's console does not show it.
 *
 * <p>A parity report lives in this process's memory only: the last run of each check, who ran it
 * and when.
 */
final class MigrationSection implements Section {
  private final Migrations migrations;
  private final Map<String, Supplier<ParityReport>> checks;
  private final Map<String, LastRun> lastRuns = new ConcurrentHashMap<>();

  /** The last run of a parity check: its report, or the error that stopped it. */
  private record LastRun(Instant at, String by, @Nullable ParityReport report, @Nullable String error) {}

  MigrationSection(Migrations migrations, Map<String, Supplier<ParityReport>> checks) {
    this.migrations = migrations;
    this.checks = new LinkedHashMap<>(checks);
  }

  @Override
  public String segment() {
    return "migration";
  }

  @Override
  public String label() {
    return "Migration";
  }

  @Override
  public @Nullable Page get(RequestContext ctx, List<String> rest) {
    if (ctx.tenant() != null) {
      if (!rest.isEmpty()) {
        return null;
      }
      Html h = new Html(ctx);
      h.el("p", "The migration toolkit's imports, captured changes and parity checks concern every tenant: an "
          + "operator's console shows them.");
      return new Page("Migration", h.toString());
    }
    if (rest.isEmpty()) {
      return overview(ctx);
    }
    return rest.equals(List.of("import")) ? importPage(ctx, ctx.param("name").orElse("")) : null;
  }

  private Page overview(RequestContext ctx) {
    Html h = new Html(ctx);
    List<ImportStatus> imports = migrations.imports();
    h.el("h2", "Imports (" + imports.size() + ")");
    h.head("Import", "Pass", "State", "Rows read", "Events written", "Already imported", "Failed rows", "Rate (pass average)",
        "Started", "Last batch");
    for (ImportStatus s : imports) {
      h.row().cellLink("/migration/import?name=" + Html.q(s.name()), s.name()).cell(s.pass())
          .cell(s.finished() ? "finished" : "running or stopped").cell(s.rowsRead()).cell(s.eventsWritten())
          .cell(s.rowsSkipped()).cell(s.failedRowsListed()).cell(rate(s)).cell(Html.time(s.startedAt()))
          .cell(Html.time(s.updatedAt())).endRow();
    }
    h.endTable();
    if (imports.isEmpty()) {
      h.el("p", "No import has started in this store.");
    }

    Map<String, Long> pending = migrations.pendingChanges();
    h.el("h2", "Captured changes waiting");
    h.head("Legacy table", "Changes waiting");
    pending.forEach((table, count) -> h.row().cell(table).cell(count).endRow());
    h.endTable();
    if (pending.isEmpty()) {
      h.el("p", "None: every captured change has been applied (or no table is captured).");
    }

    List<Migrations.SwitchState> switches = migrations.readSwitches();
    h.el("h2", "Read switches");
    h.head("Switch", "Reads go to", "Set at");
    switches.forEach(s -> h.row().cell(s.name()).cell(s.target()).cell(Html.time(s.updatedAt())).endRow());
    h.endTable();
    if (switches.isEmpty()) {
      h.el("p", "No read switch was set: reads go to the legacy tables.");
    }

    h.el("h2", "Parity checks");
    if (checks.isEmpty()) {
      h.el("p", "None registered (Console.Builder.parityCheck).");
    }
    for (String name : checks.keySet()) {
      parity(h, ctx, name);
    }
    return new Page("Migration", h.toString());
  }

  private void parity(Html h, RequestContext ctx, String name) {
    LastRun last = lastRuns.get(name);
    h.raw("<section class=\"parity\">").el("h3", name);
    if (last == null) {
      h.el("p", "Not run since this console started.");
    } else {
      h.raw("<p>").text("Run " + Html.time(last.at()) + " by " + last.by() + ": ");
      if (last.report() != null) {
        h.raw(last.report().passed() ? "<span class=\"passed\">" : "<span class=\"on\">")
            .text(last.report().passed() ? "PASSED" : "FAILED").raw("</span></p>").pre(last.report().describe());
      } else {
        h.text("it failed").raw("</p>").pre(last.error());
      }
    }
    h.action(ctx.may(ConsoleAction.RUN_PARITY_CHECK), "/migration/parity", Map.of("name", name),
        "Run parity check " + name);
    h.raw("</section>");
  }

  private @Nullable Page importPage(RequestContext ctx, String name) {
    ImportStatus s = migrations.imports().stream().filter(i -> i.name().equals(name)).findFirst().orElse(null);
    if (s == null) {
      return null;
    }
    Html h = new Html(ctx);
    h.raw("<p>").link("/migration", "← migration").raw("</p><dl>");
    h.el("dt", "Pass").el("dd", s.pass() + (s.finished() ? ", finished" : ", running or stopped"));
    h.el("dt", "Rows read").el("dd", s.rowsRead());
    h.el("dt", "Events written").el("dd", s.eventsWritten());
    h.el("dt", "Already imported").el("dd", s.rowsSkipped());
    h.el("dt", "Failed rows").el("dd", s.rowsFailed() + " failed, " + s.rowsChanged() + " changed since imported");
    h.el("dt", "Rate (pass average)").el("dd", rate(s));
    h.el("dt", "Started / last batch").el("dd", Html.time(s.startedAt()) + " / " + Html.time(s.updatedAt()));
    h.raw("</dl>");

    int size = ctx.config().pageSize();
    FailedRow after = cursor(ctx);
    List<FailedRow> page = migrations.failedRows(name, after, size + 1);
    h.el("h2", "Failed rows");
    h.head("Row key", "Kind", "Reason");
    for (FailedRow f : page.subList(0, Math.min(size, page.size()))) {
      h.row().cell(f.key()).cell(f.kind()).raw("<td>").pre(f.reason()).raw("</td>").endRow();
    }
    h.endTable();
    if (page.isEmpty()) {
      h.el("p", after == null ? "No failed rows in this pass." : "No more failed rows.");
    }
    FailedRow last = page.size() > size ? page.get(size - 1) : null;
    h.next(last == null ? "" : "/migration/import?name=" + Html.q(name) + "&after_key=" + Html.q(last.key())
        + "&after_kind=" + last.kind(), last != null);
    return new Page("Import " + name, h.toString());
  }

  /** The keyset cursor of the failed rows' page, or null for the first page. */
  private static @Nullable FailedRow cursor(RequestContext ctx) {
    String key = ctx.request().query().get("after_key");
    String kind = ctx.request().query().get("after_kind");
    if (key == null || kind == null) {
      return null;
    }
    try {
      return new FailedRow(key, FailedRow.Kind.valueOf(kind), "");
    } catch (IllegalArgumentException e) {
      throw new Rejected(400, "after_kind must be one of " + List.of(FailedRow.Kind.values()));
    }
  }

  private static String rate(ImportStatus s) {
    return s.averageRowsPerSecond().isEmpty() ? "–"
        : String.format(Locale.ROOT, "%.1f rows/s", s.averageRowsPerSecond().getAsDouble());
  }

  @Override
  public @Nullable Action post(RequestContext ctx, List<String> rest) {
    if (!rest.equals(List.of("parity"))) {
      return null;
    }
    String name = ctx.field("name");
    Supplier<ParityReport> check = checks.get(name);
    if (check == null) {
      throw new Rejected(404, "Not found");
    }
    return new Action(ConsoleAction.RUN_PARITY_CHECK, "parity check " + name, () -> {
      Instant at = Instant.now();
      try {
        ParityReport report = Objects.requireNonNull(check.get(), "the parity check returned no report");
        lastRuns.put(name, new LastRun(at, ctx.user().name(), report, null));
        return true;
      } catch (RuntimeException e) {
        lastRuns.put(name, new LastRun(at, ctx.user().name(), null, String.valueOf(e.getMessage())));
        throw e;
      }
    }, "/migration");
  }
}
