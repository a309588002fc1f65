package dev.fabula.internal;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.InvalidInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * The number and nesting policy of stored payloads, the same on every backend.
 *
 * <p>PostgreSQL stores a {@code jsonb} number as {@code numeric}, which has no exponent, no
 * negative zero, no NaN and no infinity: {@code 1E+400} comes back as a 401-digit integer and
 * {@code -0.0} as {@code 0.0}. So that a payload reads back the same wherever it is stored, every
 * number is written in that canonical form before any backend sees it: plain notation, the
 * fraction's digits kept ({@code 12.50} stays {@code 12.50}), a negative exponent expanded
 * ({@code 1.0E-5} is {@code 0.000010}), a positive one multiplied out ({@code 1.0E+3} is {@code
 * 1000}), negative zero as zero, and integers as the smallest node that holds them (as a parser
 * reads them back). NaN and infinities are refused; so are numbers whose plain form is longer
 * than the mapper reads back ({@link StreamReadConstraints#getMaxNumberLength()}) or longer than
 * PostgreSQL's {@code numeric} holds, and trees nested deeper than SQLite's JSON functions or the
 * mapper read.
 *
 * <p>Thread-safe: each call walks with an instance of its own. The walk copies only the containers
 * on the path to a changed number; a payload without numbers to change is returned as it is.
 */
public final class JsonNumbers {
  /** Most digits before the decimal point that PostgreSQL's {@code numeric} holds. */
  public static final int MAX_INTEGER_DIGITS = 131_072;
  /** Most digits after the decimal point that PostgreSQL's {@code numeric} holds. */
  public static final int MAX_FRACTION_DIGITS = 16_383;
  /** Deepest nesting SQLite's JSON functions parse (its {@code JSON_MAX_DEPTH}), the payload counted. */
  public static final int MAX_DEPTH = 1_000;

  private final String what;
  private final JsonNodeFactory nodes;
  private final int maxDepth;
  private final int maxNumberLength;
  private final ArrayDeque<String> path = new ArrayDeque<>();

  private JsonNumbers(String what, ObjectMapper mapper) {
    this.what = what;
    this.nodes = mapper.getNodeFactory();
    StreamReadConstraints read = mapper.getFactory().streamReadConstraints();
    StreamWriteConstraints write = mapper.getFactory().streamWriteConstraints();
    this.maxDepth = Math.min(MAX_DEPTH, Math.min(read.getMaxNestingDepth(), write.getMaxNestingDepth()));
    this.maxNumberLength = read.getMaxNumberLength();
  }

  /**
   * Checks {@code payload} against the policy and returns it with every number in canonical
   * form; {@code what} names it in messages ("payload of event order-placed").
   *
   * @throws InvalidInputException for NaN, an infinity, a number too long, or nesting too deep
   */
  public static ObjectNode canonical(String what, ObjectNode payload, ObjectMapper mapper) {
    return (ObjectNode) new JsonNumbers(what, mapper).walk(payload, 1);
  }

  /** The payload depth limit with {@code mapper}: {@link #MAX_DEPTH}, or less if the mapper reads less. */
  public static int maxDepth(ObjectMapper mapper) {
    return new JsonNumbers("", mapper).maxDepth;
  }

  /** One frame per level: the walk recurses as deep as the payload nests (at most the limit). */
  private JsonNode walk(JsonNode node, int depth) {
    if (!node.isContainerNode()) {
      return node.isNumber() ? number(node) : node;
    }
    if (depth > maxDepth) {
      throw new InvalidInputException(
          what + " is nested more than " + maxDepth + " levels deep (at " + path() + "); the limit is "
              + maxDepth + " on every backend (SQLite's JSON functions parse at most " + MAX_DEPTH + " levels; the "
              + "mapper's StreamReadConstraints and StreamWriteConstraints maxNestingDepth may set a lower limit): "
              + "flatten the payload, or keep a deeply nested part as a JSON string field");
    }
    JsonNode copy = null;
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        path.addLast(field.getKey());
        JsonNode child = walk(field.getValue(), depth + 1);
        path.removeLast();
        if (child != field.getValue()) {
          copy = copy == null ? nodes.objectNode().setAll((ObjectNode) node) : copy; // shallow: children shared
          ((ObjectNode) copy).set(field.getKey(), child);
        }
      }
    } else {
      for (int i = 0; i < node.size(); i++) {
        path.addLast(Integer.toString(i));
        JsonNode child = walk(node.get(i), depth + 1);
        path.removeLast();
        if (child != node.get(i)) {
          copy = copy == null ? nodes.arrayNode(node.size()).addAll((ArrayNode) node) : copy;
          ((ArrayNode) copy).set(i, child);
        }
      }
    }
    return copy == null ? node : copy;
  }

  /** Where the walk is, as a JSON pointer ("/reading/values/1"); built only for a message. */
  private String path() {
    return path.isEmpty() ? "/" : "/" + String.join("/", path);
  }

  private JsonNode number(JsonNode node) {
    if (node.isInt()) {
      return node; // the most common number, already canonical: no BigInteger made for it
    }
    if (node.isIntegralNumber()) {
      return integer(node, node.bigIntegerValue());
    }
    if (node.isDouble() || node.isFloat()) {
      double d = node.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new InvalidInputException(
            what + " has " + d + " at " + path() + "; NaN and infinities are not JSON numbers and no backend "
                + "stores them: use null, or a string field if the value must be kept");
      }
    }
    // As Jackson prints a double or float (1.0E10, -0.0), read as numeric reads it (no sign on zero).
    BigDecimal value = node.isFloat() ? new BigDecimal(Float.toString(node.floatValue())) : node.decimalValue();
    checkLength(value);
    if (value.scale() <= 0) {
      return integer(node, value.toBigIntegerExact());
    }
    return node.isBigDecimal() ? node : nodes.numberNode(value);
  }

  private JsonNode integer(JsonNode node, BigInteger value) {
    if (value.bitLength() < 32) {
      return node.isInt() ? node : nodes.numberNode(value.intValue());
    }
    if (value.bitLength() < 64) {
      return node.isLong() ? node : nodes.numberNode(value.longValue());
    }
    checkLength(new BigDecimal(value));
    return node.isBigInteger() ? node : nodes.numberNode(value);
  }

  /** Refuses a number whose plain form the mapper would not read back or PostgreSQL not hold. */
  private void checkLength(BigDecimal value) {
    long integerDigits = Math.max(1L, (long) value.precision() - value.scale());
    long fractionDigits = Math.max(0, value.scale());
    long length = integerDigits + (fractionDigits > 0 ? 1 + fractionDigits : 0);
    if (length > maxNumberLength || integerDigits > MAX_INTEGER_DIGITS || fractionDigits > MAX_FRACTION_DIGITS) {
      String shown = value.precision() > 20 ? "a " + value.precision() + "-digit number" : value.toString();
      throw new InvalidInputException(
          what + " has " + shown + " at " + path() + ", which is " + length + " characters long when written "
              + "without an exponent, as every backend stores it; the limit is " + maxNumberLength
              + " (the mapper's StreamReadConstraints maxNumberLength) and at most " + MAX_INTEGER_DIGITS
              + " digits before and " + MAX_FRACTION_DIGITS + " after the point (PostgreSQL numeric): "
              + "store such a value as a string, or raise maxNumberLength on the JsonFactory of the mapper "
              + "passed to EventTypes.builder().mapper(…)");
    }
  }
}
