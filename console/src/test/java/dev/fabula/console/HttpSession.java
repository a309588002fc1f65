package dev.fabula.console;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A plain HTTP client with one cookie, following no redirect: what a script (or an attacker) sends. */
final class HttpSession {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final URI root;
  private String cookie;
  private String bearer;
  String csrf;

  HttpSession(ConsoleServer server) {
    this.root = server.uri().resolve("/");
  }

  HttpSession bearer(String token) {
    this.bearer = token;
    return this;
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(root.resolve(path)).GET());
  }

  HttpResponse<String> post(String path, Map<String, String> form) {
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(root.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Posts with the session's CSRF token. */
  HttpResponse<String> act(String path, Map<String, String> form) {
    Map<String, String> withToken = new LinkedHashMap<>(form);
    withToken.put("csrf", csrf);
    return post(path, withToken);
  }

  /** Signs in through the form with {@code token}. */
  HttpResponse<String> signIn(String token) {
    get("/console/sign-in");
    return act("/console/sign-in", Map.of("token", token));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      response.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
      Matcher m = CSRF.matcher(response.body());
      if (m.find()) {
        csrf = m.group(1);
      }
      return response;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
