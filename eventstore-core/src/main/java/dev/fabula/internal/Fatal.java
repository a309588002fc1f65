package dev.fabula.internal;

/**
 * What is fatal to this JVM, for every module's catch-all handlers: a {@link VirtualMachineError}
 * ({@code OutOfMemoryError}, {@code InternalError}, {@code UnknownError}) other than {@code
 * StackOverflowError}, whose stack is unwound by the time it is caught and which says only that one
 * call went too deep. A fatal error is recorded where it can be and then rethrown, never swallowed.
 */
public final class Fatal {
  private Fatal() {}

  /** Whether {@code e} is fatal to this JVM. */
  public static boolean is(Throwable e) {
    return e instanceof VirtualMachineError && !(e instanceof StackOverflowError);
  }
}
