package dev.fabula.projections;

import dev.fabula.testkit.ChildJvm;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A {@link RunnerProcess} started by a test, with its output lines collected as they come. */
final class ChildRunner implements AutoCloseable {
  private final String owner;
  private final Process process;
  private final List<String> lines = new ArrayList<>(); // guarded by this
  private final Path log;
  private volatile boolean stopped;

  ChildRunner(String url, String prefix, String owner, long leaseMs, long delayMs, int batch) throws IOException {
    this(url, prefix, owner, leaseMs, delayMs, batch, "transactional", -1, 0, Path.of("target", "no-pause"));
  }

  /** A transactional runner of projection {@code crash} in {@code segments} segments, one thread each. */
  ChildRunner(String url, String prefix, String owner, long leaseMs, long delayMs, int batch, int segments)
      throws IOException {
    this(url, prefix, owner, leaseMs, delayMs, batch, "transactional", -1, 0, Path.of("target", "no-pause"), segments);
  }

  /**
   * A runner of {@code kind} that pauses {@code pauseMs} on its {@code pauseAfter}-th event if it
   * is the first to create {@code pauseMarker}; see {@link RunnerProcess}.
   */
  ChildRunner(String url, String prefix, String owner, long leaseMs, long delayMs, int batch, String kind, long pauseAfter,
      long pauseMs, Path pauseMarker) throws IOException {
    this(url, prefix, owner, leaseMs, delayMs, batch, kind, pauseAfter, pauseMs, pauseMarker, 1);
  }

  private ChildRunner(String url, String prefix, String owner, long leaseMs, long delayMs, int batch, String kind,
      long pauseAfter, long pauseMs, Path pauseMarker, int segments) throws IOException {
    this.owner = owner;
    File log = new File("target/child-" + prefix + owner + ".log");
    ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(List.of(
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dfabula.test.segments=" + segments),
        RunnerProcess.class, url, prefix, owner, String.valueOf(leaseMs), String.valueOf(delayMs),
        String.valueOf(batch), kind, String.valueOf(pauseAfter), String.valueOf(pauseMs),
        pauseMarker.toString()))
        .redirectError(log);
    this.log = log.toPath();
    this.process = pb.start();
    Thread reader = new Thread(this::read, "child-" + owner + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        synchronized (this) {
          lines.add(line);
          notifyAll();
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    synchronized (this) {
      notifyAll();
    }
  }

  String owner() {
    return owner;
  }

  /** Blocks until a line matching {@code match} was printed; returns it. */
  synchronized String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int seen = 0; ; ) {
      for (; seen < lines.size(); seen++) {
        if (match.test(lines.get(seen))) {
          return lines.get(seen);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || (!process.isAlive() && seen == lines.size())) {
        throw new AssertionError("runner " + owner + " printed no matching line (alive: " + process.isAlive()
            + ", last lines: " + lines.subList(Math.max(0, lines.size() - 5), lines.size()) + ")");
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /** The PAUSING line, if printed yet. */
  synchronized java.util.Optional<String> pausing() {
    return lines.stream().filter(l -> l.startsWith("PAUSING ")).findFirst();
  }

  /** The APPLYING lines so far. */
  synchronized List<String> applying() {
    return lines.stream().filter(l -> l.startsWith("APPLYING ")).toList();
  }

  /** The process id, for signals. */
  long pid() {
    return process.pid();
  }

  /** Sends {@code signal} ({@code STOP}, {@code CONT}) to the process with {@code kill}, and waits for it to be sent. */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
    if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
    }
    stopped = signal.equals("STOP");
  }

  /** Blocks until the runner's log (its standard error) has a line containing {@code text}; returns it. */
  String awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          if (line.contains(text)) {
            return line;
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("runner " + owner + " logged no line containing '" + text + "' in " + timeout);
      }
      synchronized (this) {
        wait(20); // the log is a file: look again shortly, until the deadline
      }
    }
  }

  /** SIGKILL: no shutdown hook, no finally, no lease release. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Lets it stop normally (it releases its lease). */
  @Override
  public void close() throws IOException {
    if (stopped && process.isAlive()) {
      try {
        signal("CONT"); // a test that failed while it was frozen: let it stop normally
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (process.isAlive()) {
      process.getOutputStream().close();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  static boolean isApplying(String line, int indexInBatch) {
    String[] parts = line.split(" ");
    return parts[0].equals("APPLYING") && parts[3].startsWith(indexInBatch + "/");
  }
}
