package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the guides honest: every Java block in {@code docs/*.md} preceded by {@code <!-- snippet:
 * File#name -->} must equal the region between {@code // snippet:name} and {@code // end} in that
 * test source, which the build compiles and runs. A snippet cannot rot without failing the build,
 * and a Java block without a marker fails it too.
 */
class SnippetsTest {
  private static final Path DOCS = Path.of(System.getProperty("user.dir"));
  private static final Path SOURCES = DOCS.resolve("src/test/java/dev/fabula/docs");
  private static final Pattern MARKER =
      Pattern.compile("<!-- snippet: (\\w+)#([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
  /** A Java block with what precedes it: a marker, or the blank line a marker would stand on. */
  private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^(.*)\\n[ \\t]*```java[ \\t]*\\n(.*)$");

  @Test
  void every_marked_snippet_in_the_guides_matches_compiled_test_code() throws IOException {
    List<String> checked = new ArrayList<>();
    try (Stream<Path> pages = Files.list(DOCS)) {
      for (Path page : pages.filter(p -> p.toString().endsWith(".md")).toList()) {
        Matcher m = MARKER.matcher(Files.readString(page));
        while (m.find()) {
          String expected = region(m.group(1), m.group(2));
          assertThat(m.group(3).strip())
              .as("snippet %s#%s in %s", m.group(1), m.group(2), page.getFileName())
              .isEqualTo(expected);
          checked.add(page.getFileName() + ":" + m.group(2));
        }
      }
    }
    assertThat(checked).as("snippets found in docs/*.md").isNotEmpty();
  }

  @Test
  void every_java_block_in_the_guides_is_marked() throws IOException {
    List<String> unmarked = new ArrayList<>();
    try (Stream<Path> pages = Files.list(DOCS)) {
      for (Path page : pages.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        unmarked.addAll(unmarkedBlocks(page.getFileName().toString(), Files.readString(page)));
      }
    }
    assertThat(unmarked)
        .as("Java blocks without <!-- snippet: File#name --> (copy them from a test in %s)", SOURCES)
        .isEmpty();
  }

  @Test
  void an_unmarked_java_block_is_named_by_its_page_and_first_line() {
    String page = "Intro.\n\n<!-- snippet: EventStoreGuideTest#open -->\n```java\nchecked();\n```\n\n"
        + "```java\n  EventStore store = open();\nmore();\n```\n\n```xml\n<a/>\n```\n";

    assertThat(unmarkedBlocks("intro.md", page)).containsExactly("intro.md: EventStore store = open();");
  }

  /** "page: first line" of each Java block of {@code markdown} that no snippet marker precedes. */
  static List<String> unmarkedBlocks(String page, String markdown) {
    List<String> unmarked = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher("\n" + markdown);
    while (m.find()) {
      if (!m.group(1).strip().matches("<!-- snippet: \\w+#[\\w-]+ -->")) {
        unmarked.add(page + ": " + m.group(2).strip());
      }
    }
    return unmarked;
  }

  /** The dedented lines between {@code // snippet:name} and the next {@code // end}. */
  static String region(String file, String name) throws IOException {
    List<String> lines = Files.readAllLines(SOURCES.resolve(file + ".java"));
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("// snippet:" + name)) {
        start = i + 1;
        break;
      }
    }
    assertThat(start).as("snippet %s in %s.java", name, file).isPositive();
    List<String> region = new ArrayList<>();
    for (int i = start; !lines.get(i).strip().equals("// end"); i++) {
      region.add(lines.get(i));
    }
    int indent = region.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return String.join("\n", region.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList()).strip();
  }
}
