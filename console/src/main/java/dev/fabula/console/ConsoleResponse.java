package dev.fabula.console;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The console's answer to a {@link ConsoleRequest}: copy the status, headers and body to your
 * server's response. The headers already carry the security headers (content security policy,
 * {@code no-store}, no framing) and, when the console set one, its session cookie.
 *
 * @param status the HTTP status
 * @param headers the response headers
 * @param body the body bytes (UTF-8 HTML, CSS or text)
 */
public record ConsoleResponse(int status, Map<String, String> headers, byte[] body) {

  /** Copies. */
  public ConsoleResponse {
    headers = Map.copyOf(headers);
    body = body.clone();
  }

  /** The body as text. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The body bytes (a copy). */
  @Override
  public byte[] body() {
    return body.clone();
  }
}
