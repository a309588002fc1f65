package dev.fabula.spring.boot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;

/**
 * Adds Fabula's liveness component ({@code fabulaLiveness}) to Actuator's {@code liveness} group and
 * its readiness component ({@code fabulaReadiness}) to the {@code readiness} group, so that
 * {@code /actuator/health/liveness} never waits on the database and {@code
 * /actuator/health/readiness} answers 503 while the store or a projection is down. It changes only
 * those two groups, and only when they exist (Kubernetes, or {@code
 * management.endpoint.health.probes.enabled=true}, or groups of those names configured); every
 * other setting of a group (its path, what it shows) stays as configured. Runs after Spring Boot's
 * own probe groups are made.
 */
final class FabulaProbeGroups implements HealthEndpointGroupsPostProcessor {
  static final String LIVENESS = "fabulaLiveness";
  static final String READINESS = "fabulaReadiness";

  private final boolean probesOn;

  /** @param probesOn whether Spring Boot makes its probe groups (so they may not exist yet when this runs) */
  FabulaProbeGroups(boolean probesOn) {
    this.probesOn = probesOn;
  }

  @Override
  public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
    Map<String, HealthEndpointGroup> changed = new LinkedHashMap<>();
    for (String name : groups.getNames()) {
      HealthEndpointGroup group = groups.get(name);
      changed.put(name, switch (name) {
        case "liveness" -> new WithMember(group, LIVENESS);
        case "readiness" -> new WithMember(group, READINESS);
        default -> group;
      });
    }
    // Spring Boot's own probe groups may be made after this runs (both post-processors have the
    // lowest precedence): make them here as Boot would, and Boot then only adds their paths.
    if (probesOn) {
      changed.computeIfAbsent("liveness", n -> new ProbeGroup(groups.getPrimary(), Set.of("livenessState", LIVENESS)));
      changed.computeIfAbsent("readiness", n -> new ProbeGroup(groups.getPrimary(), Set.of("readinessState", READINESS)));
    }
    return HealthEndpointGroups.of(groups.getPrimary(), changed);
  }

  /** Whether {@code name} (Actuator asks with paths such as {@code fabulaReadiness/store}) is {@code member} or below it. */
  private static boolean within(String name, String member) {
    return name.equals(member) || name.startsWith(member + "/");
  }

  /** A probe group as Spring Boot makes one: these members, no components shown, the primary group's statuses. */
  private record ProbeGroup(HealthEndpointGroup primary, Set<String> members) implements HealthEndpointGroup {
    @Override
    public boolean isMember(String name) {
      return members.stream().anyMatch(m -> within(name, m));
    }

    @Override
    public boolean showComponents(SecurityContext securityContext) {
      return false;
    }

    @Override
    public boolean showDetails(SecurityContext securityContext) {
      return false;
    }

    @Override
    public StatusAggregator getStatusAggregator() {
      return primary.getStatusAggregator();
    }

    @Override
    public HttpCodeStatusMapper getHttpCodeStatusMapper() {
      return primary.getHttpCodeStatusMapper();
    }

    @Override
    public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
      return null;
    }
  }

  /** A group as configured, with one more member. */
  private record WithMember(HealthEndpointGroup group, String member) implements HealthEndpointGroup {
    @Override
    public boolean isMember(String name) {
      return within(name, member) || group.isMember(name);
    }

    @Override
    public boolean showComponents(SecurityContext securityContext) {
      return group.showComponents(securityContext);
    }

    @Override
    public boolean showDetails(SecurityContext securityContext) {
      return group.showDetails(securityContext);
    }

    @Override
    public StatusAggregator getStatusAggregator() {
      return group.getStatusAggregator();
    }

    @Override
    public HttpCodeStatusMapper getHttpCodeStatusMapper() {
      return group.getHttpCodeStatusMapper();
    }

    @Override
    public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
      return group.getAdditionalPath();
    }
  }
}
