package dev.fabula.cli;

import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.internal.Secrets;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.Capture;
import dev.fabula.migration.ImportConfig;
import dev.fabula.migration.ImportSource;
import dev.fabula.migration.ImportSummary;
import dev.fabula.migration.Importer;
import dev.fabula.migration.ParityCheck;
import dev.fabula.migration.ParityConfig;
import dev.fabula.migration.ParityReport;
import dev.fabula.migration.RowMapping;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.Projections;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The operators' command-line tool ({@code java -jar fabula-cli-<version>-all.jar}). Exit codes: 0
 * done, 1 a check failed (parity), 2 usage error, 3 runtime error. Ordinary mistakes print one
 * line, never a stack trace.
 */
public final class Main {
  /** Exit code: done. */
  public static final int OK = 0;
  /** Exit code: a check ran and failed. */
  public static final int CHECK_FAILED = 1;
  /** Exit code: the command line was wrong. */
  public static final int USAGE = 2;
  /** Exit code: the command failed while running. */
  public static final int RUNTIME = 3;

  /** The environment variable the JDBC URL is read from when neither --url nor --url-file is given. */
  public static final String URL_VARIABLE = "FABULA_URL";

  static final String USAGE_TEXT = String.join("\n",
      "usage: java -jar fabula-cli-<version>-all.jar [--url <jdbc-url> | --url-file <file>] [--prefix <table-prefix>]",
      "           [--schema <schema>] <command>",
      "",
      "  the URL: --url, else the first line of --url-file, else the environment variable " + URL_VARIABLE + ";",
      "  a URL with a password belongs in the file or the variable: a command line shows in ps and shell history",
      "",
      "commands:",
      "  migrate                           create or upgrade the tables of the store and of every module (run as",
      "                                    the schema's owner, once per deploy; the other commands and the",
      "                                    application open without DDL)",
      "  migrate --row-level-security      the same, and apply the optional row-level-security policies (PostgreSQL;",
      "                                    see docs/postgresql.md)",
      "  status                            streams, head position, projections, jobs, imports, capture backlog",
      "  import --config <file>            run (or resume, or re-verify) an import; see docs/migration.md",
      "  parity --config <file>            compare a legacy query with a read model; exit 1 if they differ",
      "  capture install --table <table>   record the table's inserts, updates and deletes",
      "  capture remove --table <table>    remove the capture triggers; the table is left as it was",
      "  projection rebuild --name <name> [--version <n>]",
      "                                    reset the projection and replay the log (its running app does it);",
      "                                    refused unless it has a reset hook or declares an idempotent replay",
      "  projection resume --name <name> [--version <n>]",
      "                                    let a FAILED projection go on, after its fix is deployed",
      "  projection retry-parked --name <name> [--version <n>]",
      "                                    apply the projection's parked events again",
      "  job retry --id <id>               put a failed or cancelled job back in the queue",
      "  retention keep-last <n> | max-age <duration> (--stream <id> | --category <name>) [--tenant <id>]",
      "                                    remove old events (docs/retention.md); a duration such as P30D",
      "  retention archive | unarchive --stream <id> [--tenant <id>]",
      "                                    move a stream to cold storage, or bring it back",
      "",
      "  --version defaults to the version readers are served, else 1.",
      "",
      "exit codes: 0 ok, 1 check failed, 2 usage error, 3 runtime error");

  private Main() {}

  /** Runs the tool and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the tool and returns its exit code (for tests and embedding). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.getenv(), out, err);
  }

  /** Runs the tool with {@code environment} instead of the process's environment variables. */
  static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
    List<String> rest = new ArrayList<>();
    String url = null;
    Path urlFile = null;
    JdbcConfig jdbc = JdbcConfig.DEFAULT;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--url":
            url = value(args, ++i, "--url");
            break;
          case "--url-file":
            urlFile = Path.of(value(args, ++i, "--url-file"));
            break;
          case "--prefix":
            jdbc = jdbc.withTablePrefix(value(args, ++i, "--prefix"));
            break;
          case "--schema":
            jdbc = jdbc.withSchema(value(args, ++i, "--schema"));
            break;
          case "-h":
          case "--help":
            out.println(USAGE_TEXT);
            return OK;
          default:
            rest.add(args[i]);
        }
      }
      if (rest.isEmpty()) {
        throw new UsageException("no command given");
      }
      url = url(url, urlFile, environment);
      if (rest.equals(List.of("migrate")) || rest.equals(List.of("migrate", "--row-level-security"))) {
        Map<String, Integer> versions = JdbcEventStore.migrate(url, jdbc.withRowLevelSecurity(rest.size() == 2));
        out.println("migrated (tables " + jdbc.tablePrefix() + "*): " + versions.entrySet().stream()
            .map(v -> v.getKey() + " v" + v.getValue()).collect(Collectors.joining(", ")));
        return OK;
      }
      Command command = parse(rest);
      try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, jdbc)) {
        return command.run(store, out);
      }
    } catch (UsageException e) {
      err.println("error: " + Secrets.mask(e.getMessage()));
      err.println(USAGE_TEXT);
      return USAGE;
    } catch (EventStoreException | IllegalArgumentException | IOException e) {
      err.println("error: " + Secrets.mask(message(e)));
      return RUNTIME;
    } catch (RuntimeException e) {
      err.println("error: " + Secrets.mask(message(e)) + " (" + e.getClass().getName() + ")");
      return RUNTIME;
    }
  }

  /** The JDBC URL: --url, else --url-file's first line, else the environment; one source only. */
  private static String url(String url, Path urlFile, Map<String, String> environment) throws IOException {
    if (url != null && urlFile != null) {
      throw new UsageException("give --url or --url-file, not both");
    }
    if (url != null) {
      return url;
    }
    if (urlFile != null) {
      List<String> lines;
      try {
        lines = Files.readAllLines(urlFile);
      } catch (NoSuchFileException e) {
        throw new UsageException("--url-file " + urlFile + " does not exist");
      }
      String first = lines.stream().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(null);
      if (first == null) {
        throw new UsageException("--url-file " + urlFile + " is empty; put the JDBC URL on its first line");
      }
      return first;
    }
    String fromEnvironment = environment.get(URL_VARIABLE);
    if (fromEnvironment == null || fromEnvironment.isBlank()) {
      throw new UsageException("no JDBC URL: give --url, --url-file <file> or the environment variable " + URL_VARIABLE
          + " (for example --url jdbc:sqlite:app.db)");
    }
    return fromEnvironment.strip();
  }

  /** What a parsed command line runs on the open store. */
  interface Command {
    int run(JdbcEventStore store, PrintStream out) throws IOException;
  }

  private static Command parse(List<String> args) {
    String name = args.get(0);
    switch (name) {
      case "migrate":
        throw new UsageException("migrate takes no arguments but --row-level-security");
      case "status":
        expect(args, List.of("status"));
        return Status::print;
      case "import":
        Path importFile = config(args, "import");
        return (store, out) -> runImport(store, load(importFile), out);
      case "parity":
        Path parityFile = config(args, "parity");
        return (store, out) -> runParity(store, load(parityFile), out);
      case "capture":
        if (args.size() != 4 || !args.get(2).equals("--table") || !List.of("install", "remove").contains(args.get(1))) {
          throw new UsageException("expected: capture install|remove --table <table>");
        }
        String table = args.get(3);
        boolean install = args.get(1).equals("install");
        return (store, out) -> {
          Capture capture = Capture.open(store);
          if (install) {
            capture.install(table);
          } else {
            capture.remove(table);
          }
          out.println("capture " + (install ? "installed on " : "removed from ") + table);
          return OK;
        };
      case "projection":
        return projectionCommand(args);
      case "retention":
        return RetentionCommand.parse(args);
      case "job":
        if (args.size() != 4 || !args.get(1).equals("retry") || !args.get(2).equals("--id")) {
          throw new UsageException("expected: job retry --id <id>");
        }
        long id = number(args.get(3), "--id");
        return (store, out) -> {
          if (!JobQueue.open(store, JobQueueConfig.DEFAULT).retry(id)) {
            throw new IllegalArgumentException("job " + id + " was not retried: it does not exist, is not failed or cancelled,"
                + " its parent has not succeeded, or another job with its unique key is unfinished");
          }
          out.println("job " + id + " is pending again");
          return OK;
        };
      default:
        throw new UsageException("unknown command '" + name + "'");
    }
  }

  private static Command projectionCommand(List<String> args) {
    List<String> actions = List.of("rebuild", "resume", "retry-parked");
    boolean withVersion = args.size() == 6 && args.get(4).equals("--version");
    if (!(args.size() == 4 || withVersion) || !actions.contains(args.get(1)) || !args.get(2).equals("--name")) {
      throw new UsageException("expected: projection rebuild|resume|retry-parked --name <name> [--version <n>]");
    }
    String action = args.get(1);
    String name = args.get(3);
    Integer version = withVersion ? Math.toIntExact(number(args.get(5), "--version")) : null;
    return (store, out) -> {
      Projections projections = Projections.open(store);
      ProjectionId id = ProjectionId.of(name, version != null ? version : projections.servingVersion(name).orElse(1));
      projections.status(id); // fails with advice when it was never registered
      switch (action) {
        case "rebuild":
          projections.rebuild(id);
          out.println("rebuild of " + id + " requested: the runner holding its lease resets it (its reset hook) and replays the log");
          return OK;
        case "resume":
          out.println(projections.resume(id) ? id + " resumed" : id + " was not FAILED; nothing to resume");
          return OK;
        default:
          out.println(projections.retryAllParked(id) + " parked events of " + id + " will be applied again");
          return OK;
      }
    };
  }

  private static long number(String value, String option) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new UsageException(option + " needs a whole number, got '" + value + "'");
    }
  }

  private static int runImport(JdbcEventStore store, Properties p, PrintStream out) {
    ImportSource source = ImportSource.query(required(p, "source.name"), required(p, "source.query"), required(p, "source.key"));
    RowMapping mapping = RowMapping.rowAsEvent(required(p, "stream.template"), required(p, "event.type"), store.types());
    ImportConfig config = ImportConfig.DEFAULT
        .withBatchSize(Integer.parseInt(p.getProperty("batch.size", "500")))
        .withRowsPerSecond(Double.parseDouble(p.getProperty("rows.per.second", "0")))
        .withTenant(p.getProperty("tenant"));
    ImportSummary s = Importer.open(store, source, mapping, config).run();
    out.println("import '" + s.name() + "' pass " + s.pass() + ": " + s.rowsRead() + " rows read, " + s.eventsWritten()
        + " events written, " + s.rowsSkipped() + " rows already imported, " + s.mappingFailures().size()
        + " rows failed to map, " + s.changedRows().size() + " rows changed since imported");
    s.failedRows().forEach(f -> out.println("  " + f.kind() + " key " + f.key() + ": " + f.reason()));
    out.println("checksum " + s.checksum());
    return OK;
  }

  private static int runParity(JdbcEventStore store, Properties p, PrintStream out) {
    ParityConfig config = ParityConfig.DEFAULT
        .withKeyColumns(list(p.getProperty("key", "")))
        .withSumColumns(list(p.getProperty("sums", "")))
        .withCompareColumns(list(p.getProperty("columns", "")))
        .withTolerance(Double.parseDouble(p.getProperty("tolerance", "0")))
        .withMaxExamples(Integer.parseInt(p.getProperty("examples", "10")));
    ParityReport report = ParityCheck.of(store.jdbi(), config).compare(required(p, "legacy.query"), required(p, "readmodel.query"));
    out.print(report.describe());
    return report.passed() ? OK : CHECK_FAILED;
  }

  private static String[] list(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the config file has no '" + key + "'; see docs/migration.md for the keys");
    }
    return value.trim();
  }

  private static Path config(List<String> args, String command) {
    if (args.size() != 3 || !args.get(1).equals("--config")) {
      throw new UsageException("expected: " + command + " --config <file.properties>");
    }
    return Path.of(args.get(2));
  }

  private static Properties load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      p.load(in);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file " + file + " does not exist");
    }
    return p;
  }

  private static void expect(List<String> args, List<String> expected) {
    if (!args.equals(expected)) {
      throw new UsageException("expected: " + String.join(" ", expected) + ", got: " + String.join(" ", args));
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** A wrong command line: exit code 2 and the usage text. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
