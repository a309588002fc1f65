package dev.fabula.jdbc.spi;

import dev.fabula.EventStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A dialect's SQL statements, loaded from classpath files once and cached, with their {@code --}
 * comment headers removed and placeholders ({@code ${schema}}, {@code ${prefix}}) substituted in
 * this one place. Thread-safe.
 *
 * <p>A statement is looked up in each folder in turn: the dialect's own folder first, then a
 * shared folder of dialect-neutral statements (so a statement that reads the same on every
 * database is written once). A placeholder that is not a value names a <em>fragment</em>: the
 * file {@code _<name>.sql} in the same folders, such as the column list {@code ${job_columns}}
 * that many statements select, defined once in {@code _job_columns.sql}.
 */
public final class Statements {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");

  private final ClassLoader loader;
  private final List<String> folders;
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
    this(loader, List.of(folder), placeholders);
  }

  /**
   * Creates the statement set over several folders, searched in order.
   *
   * @param loader the class loader that sees the resources
   * @param folders the folders, most specific (the dialect's) first
   * @param placeholders values of the placeholders, already validated as SQL identifiers
   */
  public Statements(ClassLoader loader, List<String> folders, Map<String, String> placeholders) {
    if (folders.isEmpty()) {
      throw new IllegalArgumentException("statements need at least one folder");
    }
    this.loader = loader;
    this.folders = List.copyOf(folders);
    this.placeholders = Map.copyOf(placeholders);
  }

  /** A statement set over the same folders with more placeholder values (not cached by the caller). */
  public Statements with(Map<String, String> extra) {
    Map<String, String> all = new HashMap<>(placeholders);
    all.putAll(extra);
    return new Statements(loader, folders, all);
  }

  /** The placeholder values. */
  public Map<String, String> placeholders() {
    return placeholders;
  }

  /** The statement {@code <name>.sql} of the first folder that has it, without comments, placeholders substituted. */
  public String get(String name) {
    return cache.computeIfAbsent(name, n -> substitute(stripComments(resource(n + ".sql"))));
  }

  /** Whether a folder has a statement file {@code name}. */
  public boolean has(String name) {
    return find(name + ".sql") != null;
  }

  /**
   * The names of all statements of all folders (without {@code .sql}; fragments and migrations
   * left out), sorted: what a test prepares against the database to prove every file is valid.
   */
  public List<String> names() {
    java.util.TreeSet<String> names = new java.util.TreeSet<>();
    for (String folder : folders) {
      try {
        java.util.Enumeration<java.net.URL> urls = loader.getResources(folder);
        while (urls.hasMoreElements()) {
          java.net.URI uri = urls.nextElement().toURI();
          if ("jar".equals(uri.getScheme())) {
            try (java.nio.file.FileSystem fs = java.nio.file.FileSystems.newFileSystem(uri, Map.of())) {
              list(fs.provider().getPath(uri), names);
            } catch (java.nio.file.FileSystemAlreadyExistsException e) {
              list(java.nio.file.Path.of(uri), names);
            }
          } else {
            list(java.nio.file.Path.of(uri), names);
          }
        }
      } catch (IOException | java.net.URISyntaxException e) {
        throw new EventStoreException("cannot list the SQL statements of " + folder, e);
      }
    }
    return List.copyOf(names);
  }

  private static void list(java.nio.file.Path dir, java.util.Set<String> names) throws IOException {
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
      files.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".sql") && !n.startsWith("_"))
          .forEach(n -> names.add(n.substring(0, n.length() - 4)));
    }
  }

  /** A whole script of the dialect's folder (a migration), placeholders substituted, comments kept. */
  public String script(String path) {
    return substitute(resource(folders.get(0) + "/" + path, folders.get(0) + "/" + path));
  }

  /** Replaces {@code ${name}} placeholders and fragments; an unknown placeholder is an error. */
  public String substitute(String sql) {
    return substitute(sql, 0);
  }

  private String substitute(String sql, int depth) {
    Matcher m = PLACEHOLDER.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = placeholders.get(m.group(1));
      if (value == null) {
        value = fragment(m.group(1), depth);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String fragment(String name, int depth) {
    String path = find("_" + name + ".sql");
    if (path == null || depth > 4) {
      throw new EventStoreException("SQL placeholder ${" + name + "} has no value and no fragment _" + name
          + ".sql in " + folders);
    }
    return substitute(stripComments(resource(path, path)), depth + 1);
  }

  private @Nullable String find(String file) {
    for (String folder : folders) {
      String path = folder + "/" + file;
      if (loader.getResource(path) != null) {
        return path;
      }
    }
    return null;
  }

  private String resource(String file) {
    String path = find(file);
    if (path == null) {
      throw new EventStoreException("SQL resource " + file + " is missing from the class path (looked in " + folders + ")");
    }
    return resource(path, file);
  }

  private String resource(String path, String file) {
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new EventStoreException("SQL resource " + file + " is missing from the class path (looked in " + folders + ")");
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
