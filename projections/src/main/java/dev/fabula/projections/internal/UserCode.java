package dev.fabula.projections.internal;

import dev.fabula.projections.LostLeaseException;
import org.jspecify.annotations.Nullable;

/** How the projection runners call user code (handlers, reset hooks) and tell of its failures. */
final class UserCode {
  private UserCode() {}

  /** A call into user code. */
  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  /**
   * Runs {@code code}. What it throws becomes a {@link ControlFlow.HandlerFailure}, except the
   * runner's own control flow and a lost lease, which pass through, and errors other than
   * assertion and linkage errors, which propagate.
   */
  static void invoke(Call code) {
    try {
      code.run();
    } catch (ControlFlow | LostLeaseException e) {
      throw e;
    } catch (Exception | AssertionError | LinkageError e) {
      throw new ControlFlow.HandlerFailure(e);
    }
  }

  /** A failure in one line, for logs, statuses and dead letters: its class and message. */
  static String describe(@Nullable Throwable e) {
    if (e == null) {
      return "unknown error";
    }
    String message = e.getMessage();
    return e.getClass().getName() + (message == null ? "" : ": " + message);
  }
}
