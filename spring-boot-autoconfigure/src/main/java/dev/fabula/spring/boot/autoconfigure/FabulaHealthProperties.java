package dev.fabula.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code fabula.health.*} properties: the thresholds of {@code HealthConfig} (unset keeps
 * {@code HealthConfig.DEFAULT}) and how Fabula's checks appear in Actuator.
 */
@ConfigurationProperties("fabula.health")
public class FabulaHealthProperties {
  /** Whether Fabula's checks appear in Actuator's health endpoint (default true). */
  private boolean enabled = true;
  /** How long one check may take before it is reported DOWN (default 5 s). */
  private @Nullable Duration timeout;
  /** How long the oldest event a projection has not applied may wait before the projection is not ready (default 1 minute). */
  private @Nullable Duration maxProjectionLag;
  /** Parked events per projection above which it is DEGRADED (default 0). */
  private @Nullable Long maxParkedEvents;
  /** Failed jobs above which the scheduler is DEGRADED (default 0). */
  private @Nullable Long maxFailedJobs;
  /** Projections left out of the readiness check: those another service runs (default: none). */
  private Set<String> ignoredProjections = new LinkedHashSet<>();
  /**
   * Whether the liveness checks join Actuator's "liveness" group and the readiness checks its
   * "readiness" group, when those groups exist (default true).
   */
  private boolean probes = true;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable Duration getTimeout() {
    return timeout;
  }

  public void setTimeout(@Nullable Duration timeout) {
    this.timeout = timeout;
  }

  public @Nullable Duration getMaxProjectionLag() {
    return maxProjectionLag;
  }

  public void setMaxProjectionLag(@Nullable Duration maxProjectionLag) {
    this.maxProjectionLag = maxProjectionLag;
  }

  public @Nullable Long getMaxParkedEvents() {
    return maxParkedEvents;
  }

  public void setMaxParkedEvents(@Nullable Long maxParkedEvents) {
    this.maxParkedEvents = maxParkedEvents;
  }

  public @Nullable Long getMaxFailedJobs() {
    return maxFailedJobs;
  }

  public void setMaxFailedJobs(@Nullable Long maxFailedJobs) {
    this.maxFailedJobs = maxFailedJobs;
  }

  public Set<String> getIgnoredProjections() {
    return ignoredProjections;
  }

  public void setIgnoredProjections(Set<String> ignoredProjections) {
    this.ignoredProjections = ignoredProjections;
  }

  public boolean isProbes() {
    return probes;
  }

  public void setProbes(boolean probes) {
    this.probes = probes;
  }
}
