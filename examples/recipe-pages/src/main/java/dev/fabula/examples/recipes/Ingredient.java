package dev.fabula.examples.recipes;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One ingredient of a recipe, per serving: planning a meal for four multiplies it by four.
 *
 * @param name what to buy, such as {@code tomato}
 * @param quantity how much per serving, exact
 * @param unit {@code g}, {@code ml}, {@code pc}…
 * @param category the shopping-list aisle, such as {@code produce}
 */
public record Ingredient(String name, BigDecimal quantity, String unit, String category) {

  /**
   * Parses the legacy column format {@code name|quantity|unit|category;…}, the way the old CRUD code
   * stored a recipe's ingredients in one text column.
   *
   * @throws IllegalArgumentException if an entry does not have four parts or a valid quantity
   */
  public static List<Ingredient> parseLegacy(String text) {
    List<Ingredient> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String entry : text.split(";")) {
      String[] parts = entry.split("\\|");
      if (parts.length != 4) {
        throw new IllegalArgumentException("ingredient '" + entry + "' is not name|quantity|unit|category");
      }
      out.add(new Ingredient(parts[0].trim(), new BigDecimal(parts[1].trim()), parts[2].trim(), parts[3].trim()));
    }
    return out;
  }

  /** The legacy column format of {@code ingredients}; the inverse of {@link #parseLegacy}. */
  public static String formatLegacy(List<Ingredient> ingredients) {
    return ingredients.stream()
        .map(i -> i.name() + "|" + i.quantity().toPlainString() + "|" + i.unit() + "|" + i.category())
        .collect(Collectors.joining(";"));
  }
}
