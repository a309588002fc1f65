package dev.fabula.projections.internal;

import dev.fabula.internal.Fatal;
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
   * Runs {@code code}. Whatever it throws becomes a {@link ControlFlow.HandlerFailure}, so that
   * the {@link dev.fabula.projections.FailurePolicy} decides (retry, then FAILED or parked): every
   * {@link Exception} and every {@link Error} ({@code StackOverflowError} included). Three pass
   * through: the runner's own control flow, a lost lease, and a {@link Fatal fatal} error ({@code
   * OutOfMemoryError}), which says that this JVM, not the event, is in trouble; the worker records
   * it and its thread ends ({@link Worker#run}).
   */
  static void invoke(Call code) {
    try {
      code.run();
    } catch (ControlFlow | LostLeaseException e) {
      throw e;
    } catch (Throwable e) {
      if (Fatal.is(e)) {
        throw (Error) e;
      }
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
