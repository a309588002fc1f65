package dev.fabula.migration;

import dev.fabula.EventData;
import dev.fabula.EventTypes;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one source row (column name → value, names in lower case for SQL sources) into events.
 * Throwing fails only that row: the importer records the row's key and the exception's message and
 * goes on.
 */
@FunctionalInterface
public interface RowMapping {

  /** Maps {@code row}; throw to reject it with a reason. */
  MappedRow map(Map<String, Object> row) throws Exception;

  /**
   * The mapping the command line uses: one event of type {@code eventType} (schema version 1)
   * whose payload is the whole row as JSON, in the stream named by {@code streamIdTemplate} with
   * {@code {column}} placeholders, such as {@code "reading-{id}"}.
   *
   * @throws IllegalArgumentException (when mapping) if the template names a column the row lacks
   */
  static RowMapping rowAsEvent(String streamIdTemplate, String eventType, EventTypes types) {
    Pattern placeholder = Pattern.compile("\\{([A-Za-z0-9_]+)}");
    return row -> {
      Matcher m = placeholder.matcher(streamIdTemplate);
      StringBuilder stream = new StringBuilder();
      while (m.find()) {
        if (!row.containsKey(m.group(1))) {
          throw new IllegalArgumentException("the stream id template '" + streamIdTemplate
              + "' names column '" + m.group(1) + "', which the row does not have (columns: " + row.keySet() + ")");
        }
        Object value = row.get(m.group(1));
        if (value == null) {
          throw new IllegalArgumentException("column '" + m.group(1) + "' is null; the stream id needs a value");
        }
        m.appendReplacement(stream, Matcher.quoteReplacement(String.valueOf(value)));
      }
      m.appendTail(stream);
      return MappedRow.of(stream.toString(), EventData.json(eventType, 1, (com.fasterxml.jackson.databind.node.ObjectNode) types.mapper().valueToTree(row)));
    };
  }
}
