package dev.fabula.projections.internal;

import org.jspecify.annotations.Nullable;

/**
 * Exceptions that steer a projection worker's loop rather than report a fault; they roll back the
 * transaction they leave. They carry no stack trace of their own (a cause keeps its trace).
 */
abstract class ControlFlow extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ControlFlow(@Nullable Throwable cause) {
    super(null, cause, false, false);
  }

  /** The handler (or reset hook) threw; the cause is what it threw. */
  static final class HandlerFailure extends ControlFlow {
    private static final long serialVersionUID = 1L;

    HandlerFailure(Throwable cause) {
      super(cause);
    }
  }

  /** A rebuild was requested: drop the batch and rebuild first. */
  static final class RebuildRequested extends ControlFlow {
    private static final long serialVersionUID = 1L;

    RebuildRequested() {
      super(null);
    }
  }

  /** A parked event was dismissed while being retried: do not apply it. */
  static final class Dismissed extends ControlFlow {
    private static final long serialVersionUID = 1L;

    Dismissed() {
      super(null);
    }
  }
}
