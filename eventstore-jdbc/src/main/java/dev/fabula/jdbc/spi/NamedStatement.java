package dev.fabula.jdbc.spi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement with {@code :name} parameters turned into plain JDBC {@code ?} ones once, for hot
 * paths where binding through Jdbi's reflective argument machinery costs more than the statement
 * (every append). {@code ::type} casts are left alone. Immutable and thread-safe.
 */
public final class NamedStatement {
  private static final Pattern PARAMETER = Pattern.compile("(?<!:):([a-z_][a-z0-9_]*)");

  private final String sql;
  private final List<String> names;

  private NamedStatement(String sql, List<String> names) {
    this.sql = sql;
    this.names = List.copyOf(names);
  }

  /** Parses {@code namedSql}. */
  public static NamedStatement parse(String namedSql) {
    Matcher m = PARAMETER.matcher(namedSql);
    StringBuilder out = new StringBuilder();
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
      m.appendReplacement(out, "?");
    }
    m.appendTail(out);
    return new NamedStatement(out.toString(), names);
  }

  /** Prepares the statement on {@code connection}; bind with {@link Binder#set}. */
  public Binder prepare(Connection connection) throws SQLException {
    return new Binder(connection.prepareStatement(sql));
  }

  /** Binds values by name to every position the name occurs at. Not thread-safe. */
  public final class Binder implements AutoCloseable {
    private final PreparedStatement statement;

    private Binder(PreparedStatement statement) {
      this.statement = statement;
    }

    /** Binds {@code value} (null allowed, as {@code sqlType}) wherever {@code :name} occurs. */
    public Binder set(String name, Object value, int sqlType) throws SQLException {
      boolean found = false;
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equals(name)) {
          if (value == null) {
            statement.setNull(i + 1, sqlType);
          } else {
            statement.setObject(i + 1, value, sqlType);
          }
          found = true;
        }
      }
      if (!found) {
        throw new IllegalArgumentException("no parameter :" + name + " in " + sql);
      }
      return this;
    }

    /** The prepared statement, to execute. */
    public PreparedStatement statement() {
      return statement;
    }

    @Override
    public void close() throws SQLException {
      statement.close();
    }
  }
}
