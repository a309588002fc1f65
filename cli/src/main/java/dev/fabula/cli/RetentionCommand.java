package dev.fabula.cli;

import dev.fabula.EventStore;
import dev.fabula.RemovedRange;
import dev.fabula.Retention;
import dev.fabula.RetentionPolicy;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code fabula retention …}: applies a keep-last or max-age policy to a stream or category, or
 * archives or unarchives a stream, in the store's namespace or a tenant's, for an operator's
 * scheduled maintenance. Parses the arguments at once, so a wrong command line fails before the
 * store is opened.
 */
final class RetentionCommand {
  static final String USAGE = "expected: retention keep-last <n>|max-age <duration, e.g. P30D> (--stream <id> | --category <name>)"
      + " [--tenant <id>], or retention archive|unarchive --stream <id> [--tenant <id>]";

  private RetentionCommand() {}

  /** The command for {@code args} (starting with {@code retention}). */
  static Main.Command parse(List<String> args) {
    if (args.size() < 2) {
      throw new Main.UsageException(USAGE);
    }
    String action = args.get(1);
    boolean archiving = action.equals("archive") || action.equals("unarchive");
    int options = archiving ? 2 : 3;
    if (!archiving && !List.of("keep-last", "max-age").contains(action) || args.size() < options) {
      throw new Main.UsageException(USAGE);
    }
    String stream = null;
    String category = null;
    String tenant = null;
    for (int i = options; i < args.size(); i += 2) {
      if (i + 1 >= args.size()) {
        throw new Main.UsageException(args.get(i) + " needs a value; " + USAGE);
      }
      switch (args.get(i)) {
        case "--stream" -> stream = args.get(i + 1);
        case "--category" -> category = args.get(i + 1);
        case "--tenant" -> tenant = args.get(i + 1);
        default -> throw new Main.UsageException("unknown option '" + args.get(i) + "'; " + USAGE);
      }
    }
    if ((stream == null) == (category == null) || archiving && stream == null) {
      throw new Main.UsageException(USAGE);
    }
    String scopeTenant = tenant;
    if (archiving) {
      String id = stream;
      boolean archive = action.equals("archive");
      return (store, out) -> {
        Retention retention = scoped(store, scopeTenant).retention();
        if (archive) {
          out.println(retention.archive(id).map(r -> "archived: " + r.describe()).orElse("archived stream '" + id + "' (no events)"));
        } else {
          retention.unarchive(id);
          out.println("unarchived stream '" + id + "'");
        }
        return Main.OK;
      };
    }
    RetentionPolicy.Rule rule = action.equals("keep-last") ? RetentionPolicy.keepLast(count(args.get(2))) : RetentionPolicy.maxAge(age(args.get(2)));
    RetentionPolicy policy = stream != null ? rule.forStream(stream) : rule.forCategory(category);
    return (store, out) -> {
      List<RemovedRange> removed = scoped(store, scopeTenant).retention().apply(policy);
      out.println(removed.size() + " stream(s) truncated, " + removed.stream().mapToLong(RemovedRange::eventCount).sum() + " event(s) removed");
      removed.forEach(r -> out.println("  " + r.describe()));
      return Main.OK;
    };
  }

  private static EventStore scoped(EventStore store, String tenant) {
    return tenant == null ? store : store.forTenant(tenant);
  }

  private static long count(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new Main.UsageException("keep-last needs a whole number, got '" + value + "'");
    }
  }

  private static Duration age(String value) {
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new Main.UsageException("max-age needs an ISO-8601 duration such as P30D or PT12H, got '" + value + "'");
    }
  }
}
