package dev.fabula.migration;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One insert, update or delete of a legacy row, as the capture trigger recorded it in the writer's
 * transaction. Row values come from JSON: numbers as {@code Integer}, {@code Long}, {@code Double}
 * or {@code BigDecimal}, text as {@code String}, SQL NULL as null, and binary values (a SQLite
 * BLOB, a PostgreSQL {@code bytea}) as text: {@code \x} followed by the bytes in lower-case hex
 * ({@code HexFormat.of().parseHex(text.substring(2))} gives the bytes back).
 *
 * @param sequence the capture sequence: increasing, and per legacy row in commit order
 * @param table the legacy table (without schema)
 * @param operation what happened
 * @param before the row before (updates and deletes), else null
 * @param after the row after (inserts and updates), else null
 */
public record CapturedChange(long sequence, String table, Operation operation,
    @Nullable Map<String, Object> before, @Nullable Map<String, Object> after) {

  /** What happened to the row. */
  public enum Operation {
    /** A new row: {@code after} is set. */
    INSERT,
    /** A changed row: {@code before} and {@code after} are set. */
    UPDATE,
    /** A removed row: {@code before} is set. */
    DELETE;

    static Operation of(String code) {
      switch (code) {
        case "I":
          return INSERT;
        case "U":
          return UPDATE;
        case "D":
          return DELETE;
        default:
          throw new MigrationException("unknown capture operation '" + code + "' in the capture table");
      }
    }
  }

  /** The row as it is now: {@code after}, or {@code before} for a delete. */
  public Map<String, Object> row() {
    Map<String, Object> row = after != null ? after : before;
    if (row == null) {
      throw new MigrationException("captured change " + sequence + " has neither an old nor a new row");
    }
    return row;
  }
}
