package dev.fabula.console.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.fabula.console.Console;
import dev.fabula.console.ConsoleRequest;
import dev.fabula.console.ConsoleResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Adapts the JDK's {@link HttpExchange} to {@link Console#handle}: request in, response out. */
public final class ExchangeHandler implements HttpHandler {
  private final Console console;

  /** A handler for {@code console}. */
  public ExchangeHandler(Console console) {
    this.console = console;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> headers = new HashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (!values.isEmpty()) {
          headers.put(name, values.get(0));
        }
      });
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(ConsoleRequest.MAX_BODY_BYTES + 1);
      }
      ConsoleRequest request = ConsoleRequest.of(exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath()
              + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
          headers, body, exchange.getPrincipal());
      ConsoleResponse response = console.handle(request);
      response.headers().forEach((name, value) -> exchange.getResponseHeaders().put(name, List.of(value)));
      byte[] out = exchange.getRequestMethod().equalsIgnoreCase("HEAD") ? new byte[0] : response.body();
      exchange.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(out);
        }
      }
    }
  }
}
