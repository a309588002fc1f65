package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.console.Console;
import dev.fabula.console.ConsoleRequest;
import dev.fabula.console.ConsoleResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Serves a {@link Console} from a servlet container: the request (its path within the servlet
 * context, query, headers, form body and {@code getUserPrincipal()}) goes to {@link
 * Console#handle}, the answer's status, headers and body come back. The console does its own
 * sessions and CSRF checks; the principal is what a {@code ConsoleAuthenticator} may map to a
 * console user (Spring Security's {@code Authentication}).
 */
final class ConsoleServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient Console console;

  ConsoleServlet(Console console) {
    this.console = console;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Map<String, String> headers = new HashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.putIfAbsent(name, request.getHeader(name));
    }
    String target = request.getRequestURI().substring(request.getContextPath().length())
        + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    ConsoleResponse answer = console.handle(
        ConsoleRequest.of(request.getMethod(), target, headers, body(request), request.getUserPrincipal()));
    response.setStatus(answer.status());
    answer.headers().forEach(response::setHeader);
    if (!"HEAD".equalsIgnoreCase(request.getMethod())) {
      byte[] out = answer.body();
      response.setContentLength(out.length);
      response.getOutputStream().write(out);
    }
  }

  /**
   * The raw body; when a filter before this servlet already read a form's parameters (the body is
   * then gone), the form is encoded again from them.
   */
  private static byte[] body(HttpServletRequest request) throws IOException {
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(ConsoleRequest.MAX_BODY_BYTES + 1);
    }
    String type = request.getContentType();
    if (body.length == 0 && type != null && type.startsWith("application/x-www-form-urlencoded")) {
      StringJoiner form = new StringJoiner("&");
      request.getParameterMap().forEach((name, values) -> {
        if (values.length > 0) {
          form.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(values[0], StandardCharsets.UTF_8));
        }
      });
      body = form.toString().getBytes(StandardCharsets.UTF_8);
    }
    return body;
  }
}
