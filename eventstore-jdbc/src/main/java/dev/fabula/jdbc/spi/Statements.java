package dev.fabula.jdbc.spi;

import dev.fabula.EventStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dialect's SQL statements, loaded from classpath files once and cached, with their {@code --}
 * comment headers removed and placeholders ({@code ${schema}}, {@code ${prefix}}) substituted in
 * this one place. Thread-safe.
 */
public final class Statements {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");

  private final ClassLoader loader;
  private final String folder;
  private final Map<String, String> placeholders;
  private final Map<String, String> cache = new ConcurrentHashMap<>();

  /**
   * Creates the statement set.
   *
   * @param loader the class loader that sees the dialect's resources
   * @param folder the dialect's resource folder
   * @param placeholders values of the placeholders, already validated as SQL identifiers
   */
  public Statements(ClassLoader loader, String folder, Map<String, String> placeholders) {
    this.loader = loader;
    this.folder = folder;
    this.placeholders = Map.copyOf(placeholders);
  }

  /** The placeholder values. */
  public Map<String, String> placeholders() {
    return placeholders;
  }

  /** The statement in {@code <folder>/<name>.sql}, without comments, placeholders substituted. */
  public String get(String name) {
    return cache.computeIfAbsent(name, n -> substitute(stripComments(resource(folder + "/" + n + ".sql"))));
  }

  /** Whether the dialect has a statement file {@code name}. */
  public boolean has(String name) {
    return loader.getResource(folder + "/" + name + ".sql") != null;
  }

  /** A whole script (a migration), placeholders substituted, comments kept. */
  public String script(String path) {
    return substitute(resource(folder + "/" + path));
  }

  /** Replaces {@code ${name}} placeholders; an unknown placeholder is an error. */
  public String substitute(String sql) {
    Matcher m = PLACEHOLDER.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = placeholders.get(m.group(1));
      if (value == null) {
        throw new EventStoreException("SQL placeholder ${" + m.group(1) + "} has no value in " + folder);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String resource(String path) {
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new EventStoreException("SQL resource " + path + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new EventStoreException("cannot read SQL resource " + path, e);
    }
  }

  /** Drops whole-line {@code --} comments (statement headers); SQL never starts a line with a string. */
  private static String stripComments(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    for (String line : sql.split("\n")) {
      if (!line.stripLeading().startsWith("--") && !line.isBlank()) {
        out.append(line).append('\n');
      }
    }
    return out.toString().strip();
  }
}
