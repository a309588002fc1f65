package dev.fabula.examples.configservice;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

/**
 * Measures the story's latency targets (GET under 10 ms and PUT under 50 ms at the 95th
 * percentile) against a running server, one request at a time, as a client sees them: HTTP on
 * localhost included. The figures are printed, never asserted: they depend on the machine.
 *
 * @param requests how many GETs and how many PUTs were timed
 * @param getP50 median GET time, in milliseconds
 * @param getP95 95th percentile GET time, in milliseconds
 * @param putP50 median PUT time, in milliseconds
 * @param putP95 95th percentile PUT time, in milliseconds
 */
public record Latency(int requests, double getP50, double getP95, double putP50, double putP95) {

  /** Names the measurement writes to: {@code bench.latency-0} to {@code bench.latency-9}. */
  public static final String NAME_PREFIX = "bench.latency-";

  /**
   * Times {@code requests} PUTs (updates of ten names in turn) and as many GETs, after a short
   * warm-up of each.
   */
  public static Latency measure(HttpClient client, URI base, int requests) {
    int warmUp = Math.min(50, requests);
    long[] puts = new long[requests];
    long[] gets = new long[requests];
    for (int i = -warmUp; i < requests; i++) {
      String name = NAME_PREFIX + Math.floorMod(i, 10);
      long put = time(client, HttpRequest.newBuilder(base.resolve("/config/" + name))
          .PUT(HttpRequest.BodyPublishers.ofString("{\"value\": " + i + "}")).build());
      long get = time(client, HttpRequest.newBuilder(base.resolve("/config/" + name)).GET().build());
      if (i >= 0) {
        puts[i] = put;
        gets[i] = get;
      }
    }
    Arrays.sort(puts);
    Arrays.sort(gets);
    return new Latency(requests, percentile(gets, 50), percentile(gets, 95), percentile(puts, 50), percentile(puts, 95));
  }

  private static long time(HttpClient client, HttpRequest request) {
    long started = System.nanoTime();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
            + response.statusCode() + " " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return System.nanoTime() - started;
  }

  private static double percentile(long[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1_000_000.0;
  }

  /** Prints the figures next to the story's targets. */
  public void print(PrintStream out) {
    out.printf("   GET  p50 %6.2f ms   p95 %6.2f ms   (target p95 < 10 ms)%n", getP50, getP95);
    out.printf("   PUT  p50 %6.2f ms   p95 %6.2f ms   (target p95 < 50 ms)%n", putP50, putP95);
  }
}
