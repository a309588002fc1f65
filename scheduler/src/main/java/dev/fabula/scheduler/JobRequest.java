package dev.fabula.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fabula.EventTypes;
import dev.fabula.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A job to enqueue. Immutable; start from {@link #of(String)} and add what you need:
 *
 * <pre>{@code
 * JobRequest.of("send-receipt")
 *     .withPayload("{\"order\": 7}")
 *     .withPriority(Priority.HIGH)
 *     .withDelay(Duration.ofMinutes(5))
 *     .withUniqueKey("receipt-7");
 * }</pre>
 *
 * @param type the job type, which selects the handler: 1 to 200 characters, no control characters
 * @param payload the job's input, any JSON value (checked here)
 * @param priority higher runs first
 * @param runAt when to run, or null for now (plus {@code delay})
 * @param delay how long after enqueueing to run, or null; not together with {@code runAt}
 * @param queue the queue, for pausing and limiting groups of jobs ({@value #DEFAULT_QUEUE} unless set)
 * @param maxAttempts attempts in all, or null for the job type's {@link RetryPolicy}
 * @param uniqueKey while a job of this type with this key is waiting, pending or running, enqueueing
 *     another returns that job instead; null for none
 * @param parentId a job that must succeed before this one starts (or, with {@code
 *     onParentFailure}, fail), or null
 * @param onParentFailure whether this job compensates for its parent: it runs only if the parent
 *     does not succeed (its attempts used up, failed without retry, its lease lost on the last
 *     attempt, or cancelled), and is cancelled when the parent succeeds ({@link #afterFailureOf})
 */
public record JobRequest(
    String type,
    String payload,
    Priority priority,
    @Nullable Instant runAt,
    @Nullable Duration delay,
    String queue,
    @Nullable Integer maxAttempts,
    @Nullable String uniqueKey,
    @Nullable Long parentId,
    boolean onParentFailure) {

  /** The queue of jobs that name none. */
  public static final String DEFAULT_QUEUE = "default";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Validates every value and quotes the bad one. */
  public JobRequest {
    type = name("job type", type, 200);
    queue = name("queue", queue, 100);
    if (payload == null) {
      throw new InvalidInputException("the payload of a '" + type + "' job must not be null; use \"{}\" for none");
    }
    checkJson(payload, "the payload of a '" + type + "' job");
    if (priority == null) {
      throw new InvalidInputException("priority must not be null; use Priority.MEDIUM");
    }
    if (delay != null && delay.isNegative()) {
      throw new InvalidInputException("the delay of a '" + type + "' job must not be negative but was " + delay);
    }
    if (delay != null && runAt != null) {
      throw new InvalidInputException("a job runs at a time or after a delay, not both (runAt " + runAt + ", delay " + delay + ")");
    }
    if (maxAttempts != null && maxAttempts < 1) {
      throw new InvalidInputException("maxAttempts of a '" + type + "' job must be 1 or more but was " + maxAttempts);
    }
    if (uniqueKey != null) {
      uniqueKey = name("unique key", uniqueKey, 500);
    }
    if (parentId != null && parentId < 1) {
      throw new InvalidInputException("parentId must be a job id (1 or more) but was " + parentId);
    }
    if (onParentFailure && parentId == null) {
      throw new InvalidInputException("a '" + type + "' job that runs on its parent's failure needs a parent; use afterFailureOf(jobId)");
    }
  }

  /** A job of {@code type} with an empty JSON object as payload, medium priority, due now. */
  public static JobRequest of(String type) {
    return new JobRequest(type, "{}", Priority.MEDIUM, null, null, DEFAULT_QUEUE, null, null, null, false);
  }

  /** Returns a copy with a JSON payload. */
  public JobRequest withPayload(String json) {
    return new JobRequest(type, json, priority, runAt, delay, queue, maxAttempts, uniqueKey, parentId, onParentFailure);
  }

  /** Returns a copy whose payload is {@code value} written as JSON by Jackson. */
  public JobRequest withPayloadOf(Object value) {
    try {
      return withPayload(EventTypes.defaultMapper().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("cannot write the payload of a '" + type + "' job as JSON: " + e.getOriginalMessage());
    }
  }

  /** Returns a copy with another priority. */
  public JobRequest withPriority(Priority value) {
    return new JobRequest(type, payload, value, runAt, delay, queue, maxAttempts, uniqueKey, parentId, onParentFailure);
  }

  /** Returns a copy that runs at {@code value} (or now, if that is past). */
  public JobRequest withRunAt(Instant value) {
    return new JobRequest(type, payload, priority, value, null, queue, maxAttempts, uniqueKey, parentId, onParentFailure);
  }

  /** Returns a copy that runs {@code value} after it is enqueued. */
  public JobRequest withDelay(Duration value) {
    return new JobRequest(type, payload, priority, null, value, queue, maxAttempts, uniqueKey, parentId, onParentFailure);
  }

  /** Returns a copy in another queue. */
  public JobRequest withQueue(String value) {
    return new JobRequest(type, payload, priority, runAt, delay, value, maxAttempts, uniqueKey, parentId, onParentFailure);
  }

  /** Returns a copy with its own attempt count. */
  public JobRequest withMaxAttempts(int value) {
    return new JobRequest(type, payload, priority, runAt, delay, queue, value, uniqueKey, parentId, onParentFailure);
  }

  /** Returns a copy with a unique key. */
  public JobRequest withUniqueKey(String value) {
    return new JobRequest(type, payload, priority, runAt, delay, queue, maxAttempts, value, parentId, onParentFailure);
  }

  /** Returns a copy that waits for job {@code value} to succeed, and fails if it does not. */
  public JobRequest withParent(long value) {
    return new JobRequest(type, payload, priority, runAt, delay, queue, maxAttempts, uniqueKey, value, false);
  }

  /**
   * Returns a copy that compensates for job {@code value}: it waits, runs only if that job does
   * not succeed (its attempts used up, failed without retry, its lease lost on the last attempt,
   * or cancelled), and is cancelled when it succeeds. Enqueue it with the job it compensates for,
   * in the same transaction, so that a saga step and its undo commit together.
   */
  public JobRequest afterFailureOf(long value) {
    return new JobRequest(type, payload, priority, runAt, delay, queue, maxAttempts, uniqueKey, value, true);
  }

  static String name(String what, @Nullable String value, int max) {
    if (value == null || value.isBlank()) {
      throw new InvalidInputException("the " + what + " must not be blank but was " + (value == null ? "null" : "'" + value + "'"));
    }
    if (value.length() > max) {
      throw new InvalidInputException("the " + what + " must be at most " + max + " characters but was " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new InvalidInputException("the " + what + " '" + value.replaceAll("\\p{Cntrl}", "?") + "' contains a control character");
      }
    }
    return value;
  }

  static void checkJson(String json, String what) {
    try {
      if (JSON.readTree(json) == null || json.isBlank()) {
        throw new InvalidInputException(what + " is empty; use \"{}\" for none");
      }
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(what + " is not JSON (" + e.getOriginalMessage() + "): " + abbreviate(json));
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
