package dev.fabula.spring.boot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the job type a {@link dev.fabula.scheduler.JobHandler} bean handles: the auto-configured
 * worker pool registers it with {@link dev.fabula.scheduler.JobQueue#register} before it starts.
 * A bean that handles several types implements {@link
 * dev.fabula.scheduler.spi.JobHandlerProvider} instead.
 *
 * <pre>{@code
 * @Component
 * @JobType("send-receipt")
 * class SendReceipt implements JobHandler { … }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface JobType {
  /** The job type, as in {@code JobRequest.of(type, …)}. */
  String value();
}
