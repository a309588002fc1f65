package dev.fabula.console;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request as the console needs it, framework-neutral: build it from your server's request
 * with {@link #of} and pass it to {@link Console#handle}.
 *
 * @param method the HTTP method, upper case ({@code GET}, {@code POST})
 * @param path the decoded path, without the query ({@code /console/jobs})
 * @param query the query parameters (the first value of each)
 * @param form the form fields of a {@code application/x-www-form-urlencoded} POST body (the first
 *     value of each); empty otherwise
 * @param headers the headers, names in lower case (the first value of each)
 * @param principal the user your server already authenticated (a servlet's {@code
 *     getUserPrincipal()}, your session's user object), for your {@link ConsoleAuthenticator}; or
 *     null
 */
public record ConsoleRequest(
    String method,
    String path,
    Map<String, String> query,
    Map<String, String> form,
    Map<String, String> headers,
    @Nullable Object principal) {

  /** The most bytes of a form body the console reads. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** Validates and copies. */
  public ConsoleRequest {
    method = method.toUpperCase(Locale.ROOT);
    query = Map.copyOf(query);
    form = Map.copyOf(form);
    Map<String, String> lower = new LinkedHashMap<>();
    headers.forEach((k, v) -> lower.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
    headers = Map.copyOf(lower);
  }

  /**
   * Parses a request: {@code target} is the request target ({@code /console/jobs?state=FAILED}),
   * {@code body} the raw body (read only for a form POST, at most {@link #MAX_BODY_BYTES}).
   */
  public static ConsoleRequest of(
      String method, String target, Map<String, String> headers, byte[] body, @Nullable Object principal) {
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    Map<String, String> query = q < 0 ? Map.of() : decode(target.substring(q + 1));
    Map<String, String> form = Map.of();
    String type = headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase("content-type")).map(Map.Entry::getValue).findFirst().orElse("");
    if (type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded") && body.length <= MAX_BODY_BYTES) {
      form = decode(new String(body, StandardCharsets.UTF_8));
    }
    return new ConsoleRequest(method, URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8),
        query, form, headers, principal);
  }

  /** A header by name (any case). */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** A cookie by name, from the {@code Cookie} header. */
  public Optional<String> cookie(String name) {
    for (String part : header("cookie").orElse("").split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
        return Optional.of(part.substring(eq + 1).trim());
      }
    }
    return Optional.empty();
  }

  private static Map<String, String> decode(String encoded) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      values.putIfAbsent(key, value);
    }
    return values;
  }
}
