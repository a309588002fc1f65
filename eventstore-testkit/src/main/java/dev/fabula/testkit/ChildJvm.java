package dev.fabula.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a JVM that a test starts as a child process (a second writer, a runner to
 * kill, a worker to freeze): this JVM's {@code java} and class path, the {@link #FAST_START}
 * options, then the main class and its arguments. Hand it to a {@link ProcessBuilder}:
 *
 * <pre>{@code
 * Process child = new ProcessBuilder(ChildJvm.command(WriterProcess.class, url, prefix))
 *     .redirectErrorStream(true).start();
 * }</pre>
 *
 * <p>A child of a test runs for seconds, so most of its CPU goes to starting up: loading classes
 * and compiling them twice, with the quick compiler and then again with the optimising one, on
 * the same cores as the test and the database. The {@link #FAST_START} options stop at the quick
 * compiler and use the serial collector, which roughly halves that CPU; they change how fast the
 * child's code runs, never what it does. Stateless; thread-safe.
 */
public final class ChildJvm {
  /**
   * JVM options for a short-lived child: only the quick (C1) compiler, and the serial collector
   * (no collector threads competing for the cores of a small machine). Unmodifiable.
   */
  public static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private ChildJvm() {}

  /**
   * Returns the command that runs {@code mainClass} in a new JVM on this JVM's class path, with
   * the {@link #FAST_START} options.
   *
   * @param mainClass the class whose {@code main} the child runs
   * @param args the arguments of {@code main}
   * @return a new modifiable list: {@code java}, the options, {@code -cp}, the class path, the
   *     class name and the arguments
   */
  public static List<String> command(Class<?> mainClass, String... args) {
    return command(List.of(), mainClass, args);
  }

  /**
   * Returns the command that runs {@code mainClass} in a new JVM on this JVM's class path, with
   * the {@link #FAST_START} options followed by {@code jvmOptions} (system properties, say).
   *
   * @param jvmOptions further JVM options, such as {@code -Dname=value}
   * @param mainClass the class whose {@code main} the child runs
   * @param args the arguments of {@code main}
   * @return a new modifiable list: {@code java}, the options, {@code -cp}, the class path, the
   *     class name and the arguments
   */
  public static List<String> command(List<String> jvmOptions, Class<?> mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(FAST_START);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    return command;
  }
}
