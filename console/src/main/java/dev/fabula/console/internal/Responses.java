package dev.fabula.console.internal;

import dev.fabula.console.ConsoleConfig;
import dev.fabula.console.ConsoleResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The console's responses, each with the security headers: a content security policy that allows
 * no script, no frame and no form target but the console itself; {@code no-store}, so no cache
 * keeps a page of operational data; no sniffing, no referrer.
 */
final class Responses {
  static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
      + "frame-ancestors 'none'; base-uri 'none'";
  private final ConsoleConfig config;

  Responses(ConsoleConfig config) {
    this.config = config;
  }

  ConsoleResponse html(int status, String html) {
    return respond(status, "text/html; charset=utf-8", html, Map.of());
  }

  ConsoleResponse plain(int status, String message) {
    return respond(status, "text/plain; charset=utf-8", message + "\n", Map.of());
  }

  ConsoleResponse css(String css) {
    return respond(200, "text/css; charset=utf-8", css, Map.of());
  }

  /** A 303 to a console path, so that a reload after an action does not post it again. */
  ConsoleResponse redirect(String location) {
    return respond(303, "text/plain; charset=utf-8", "", Map.of("Location", location));
  }

  /** The response with the session's cookie: HttpOnly, SameSite=Strict, scoped to the base path. */
  ConsoleResponse withCookie(ConsoleResponse response, Sessions.Session session) {
    Map<String, String> headers = new HashMap<>(response.headers());
    headers.put("Set-Cookie", ConsoleImpl.COOKIE + "=" + session.id + "; Path=" + config.basePath()
        + "; HttpOnly; SameSite=Strict" + (config.secureCookie() ? "; Secure" : ""));
    return new ConsoleResponse(response.status(), headers, response.body());
  }

  private static ConsoleResponse respond(int status, String type, String body, Map<String, String> extra) {
    Map<String, String> headers = new HashMap<>(extra);
    headers.put("Content-Type", type);
    headers.put("Content-Security-Policy", CSP);
    headers.put("X-Frame-Options", "DENY");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("Cache-Control", "no-store");
    return new ConsoleResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
  }
}
