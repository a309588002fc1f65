package dev.fabula.examples.configservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** A small HTTP client for the tour that prints each request and response like a transcript. */
final class Transcript {

  /** A response: status and parsed JSON body. */
  record Reply(int status, JsonNode body) {}

  private final HttpClient client;
  private final URI base;
  private final PrintStream out;
  private final ObjectMapper json = new ObjectMapper();

  Transcript(HttpClient client, URI base, PrintStream out) {
    this.client = client;
    this.base = base;
    this.out = out;
  }

  /**
   * Sends a request and prints it and its answer.
   *
   * @param headers name, value, name, value...
   */
  Reply send(String method, String path, String body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
      shown.add(headers[i] + ": " + headers[i + 1]);
    }
    out.println("  > " + method + " " + path + (body == null ? "" : " " + body)
        + (shown.isEmpty() ? "" : "   " + shown));
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode reply = json.readTree(response.body());
      if (reply.isArray() && reply.size() > 1) {
        out.println("  < " + response.statusCode() + " [");
        reply.forEach(item -> out.println("  <     " + item));
        out.println("  < ]");
      } else {
        out.println("  < " + response.statusCode() + " " + reply);
      }
      return new Reply(response.statusCode(), reply);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Sends a request without printing it. */
  Reply quiet(String method, String path) {
    try {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve(path))
          .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), json.readTree(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
