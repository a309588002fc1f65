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
 * Keeps the guides honest: every Java block in {@code docs/*.md} and the project's {@code
 * README.md} preceded by {@code <!-- snippet: File#name -->} must equal the region between {@code
 * // snippet:name} and {@code // end} in {@code File.java}, a test source that the build compiles
 * and runs; {@code <!-- snippet: File -->} shows the whole file, without those marker lines. A
 * snippet cannot rot without failing the build, and a Java block without a marker fails it too.
 */
class SnippetsTest {
  private static final Path DOCS = Path.of(System.getProperty("user.dir"));
  private static final Path README = DOCS.resolveSibling("README.md");
  private static final Path SOURCES = DOCS.resolve("src/test/java");
  private static final Pattern MARKER =
      Pattern.compile("<!-- snippet: (\\w+)(?:#([\\w-]+))? -->\\s*```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern REGION_LINE = Pattern.compile("// (snippet:[\\w-]+|end)");
  /** A Java block with what precedes it: a marker, or the blank line a marker would stand on. */
  private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^(.*)\\n[ \\t]*```java[ \\t]*\\n(.*)$");

  @Test
  void every_marked_snippet_in_the_guides_matches_compiled_test_code() throws IOException {
    List<String> checked = new ArrayList<>();
    for (Path page : pages()) {
      Matcher m = MARKER.matcher(Files.readString(page));
      while (m.find()) {
        String expected = m.group(2) == null ? wholeFile(m.group(1)) : region(m.group(1), m.group(2));
        assertThat(m.group(3).strip())
            .as("snippet %s#%s in %s", m.group(1), m.group(2), page.getFileName())
            .isEqualTo(expected);
        checked.add(page.getFileName() + ":" + m.group(1) + "#" + m.group(2));
      }
    }
    assertThat(checked).as("snippets found in docs/*.md").isNotEmpty();
    assertThat(checked).as("snippets found in README.md").anyMatch(c -> c.startsWith("README.md:"));
  }

  @Test
  void every_java_block_in_the_guides_is_marked() throws IOException {
    List<String> unmarked = new ArrayList<>();
    for (Path page : pages()) {
      unmarked.addAll(unmarkedBlocks(page.getFileName().toString(), Files.readString(page)));
    }
    assertThat(unmarked)
        .as("Java blocks without <!-- snippet: File#name --> (copy them from a test in %s)", SOURCES)
        .isEmpty();
  }

  @Test
  void an_unmarked_java_block_is_named_by_its_page_and_first_line() {
    String page = "Intro.\n\n<!-- snippet: EventStoreGuideTest#open -->\n```java\nchecked();\n```\n\n"
        + "<!-- snippet: ShopApp -->\n```java\npackage com.example.shop;\n```\n\n"
        + "```java\n  EventStore store = open();\nmore();\n```\n\n```xml\n<a/>\n```\n";

    assertThat(unmarkedBlocks("intro.md", page)).containsExactly("intro.md: EventStore store = open();");
  }

  @Test
  void a_whole_file_snippet_leaves_out_the_region_markers() throws IOException {
    assertThat(wholeFile("ShopApp"))
        .startsWith("package com.example.shop;")
        .contains("sealed interface CartEvent {}")
        .doesNotContain("// snippet:", "// end");
  }

  /** The guides in {@code docs/} and the project's README, in name order. */
  static List<Path> pages() throws IOException {
    try (Stream<Path> pages = Files.list(DOCS)) {
      List<Path> all = new ArrayList<>(pages.filter(p -> p.toString().endsWith(".md")).sorted().toList());
      all.add(README);
      return all;
    }
  }

  /** "page: first line" of each Java block of {@code markdown} that no snippet marker precedes. */
  static List<String> unmarkedBlocks(String page, String markdown) {
    List<String> unmarked = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher("\n" + markdown);
    while (m.find()) {
      if (!m.group(1).strip().matches("<!-- snippet: \\w+(#[\\w-]+)? -->")) {
        unmarked.add(page + ": " + m.group(2).strip());
      }
    }
    return unmarked;
  }

  /** The dedented lines between {@code // snippet:name} and the next {@code // end}. */
  static String region(String file, String name) throws IOException {
    List<String> lines = Files.readAllLines(source(file));
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

  /** The whole of {@code file}, without its {@code // snippet:name} and {@code // end} lines. */
  static String wholeFile(String file) throws IOException {
    return String.join("\n", Files.readAllLines(source(file)).stream()
        .filter(l -> !REGION_LINE.matcher(l.strip()).matches())
        .toList()).strip();
  }

  /** The one test source named {@code file.java}, in whatever package. */
  static Path source(String file) throws IOException {
    try (Stream<Path> all = Files.walk(SOURCES)) {
      List<Path> found = all.filter(p -> p.getFileName().toString().equals(file + ".java")).toList();
      assertThat(found).as("test sources named %s.java under %s", file, SOURCES).hasSize(1);
      return found.get(0);
    }
  }
}
