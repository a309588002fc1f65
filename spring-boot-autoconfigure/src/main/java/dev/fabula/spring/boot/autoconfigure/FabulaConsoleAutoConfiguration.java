package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.console.Console;
import dev.fabula.console.ConsoleAuthenticator;
import dev.fabula.console.ConsoleConfig;
import dev.fabula.console.ConsoleUser;
import dev.fabula.jdbc.JdbcEventStore;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.util.ClassUtils;

/**
 * The admin console ({@code fabula-console}) as a bean, when {@code fabula.console.enabled=true}:
 * over the store and, when configured, the projections and the job queue, configured by {@code
 * fabula.console.*}. {@link FabulaConsoleManagementConfiguration} serves it on the management
 * server (Actuator's own port when {@code management.server.port} is set, else the application's).
 *
 * <p>Who may use it: with Spring Security on the class path, the application's signed-in users with
 * the operator or reader authority ({@link SpringSecurityConsoleAuthenticator}); Spring Security's
 * CSRF check is switched off for the console's path only (a {@code Customizer<HttpSecurity>} bean),
 * since the console checks its own CSRF token on every form. Without Spring Security, the shared
 * token {@code fabula.console.token} (required). An application's own {@link ConsoleAuthenticator}
 * bean wins over both.
 */
@AutoConfiguration(
    after = {FabulaAutoConfiguration.class, FabulaProjectionsAutoConfiguration.class, FabulaSchedulerAutoConfiguration.class},
    beforeName = "org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration")
@ConditionalOnClass(Console.class)
@ConditionalOnBean(JdbcEventStore.class)
@ConditionalOnBooleanProperty(name = "fabula.console.enabled")
@EnableConfigurationProperties(FabulaConsoleProperties.class)
public class FabulaConsoleAutoConfiguration {

  /** {@code ConsoleConfig} from {@code fabula.console.*}. */
  @Bean
  @ConditionalOnMissingBean
  public ConsoleConfig fabulaConsoleConfig(FabulaConsoleProperties p) {
    return Settings.from(ConsoleConfig.DEFAULT)
        .set("fabula.console.base-path", p.getBasePath(), ConsoleConfig::withBasePath)
        .set("fabula.console.read-only", p.getReadOnly(), ConsoleConfig::withReadOnly)
        .set("fabula.console.page-size", p.getPageSize(), ConsoleConfig::withPageSize)
        .set("fabula.console.session-idle", p.getSessionIdle(), ConsoleConfig::withSessionIdle)
        .set("fabula.console.secure-cookie", p.getSecureCookie(), ConsoleConfig::withSecureCookie)
        .get();
  }

  /** The console over the store, and the projections and job queue when they are beans. */
  @Bean
  @ConditionalOnMissingBean
  public Console fabulaConsole(JdbcEventStore store, ConsoleConfig config, ConsoleAuthenticator authenticator,
      ListableBeanFactory beans) {
    Console.Builder builder = Console.builder(store).config(config).authenticator(authenticator);
    ClassLoader loader = getClass().getClassLoader();
    if (ClassUtils.isPresent("dev.fabula.projections.Projections", loader)) {
      beans.getBeanProvider(dev.fabula.projections.Projections.class).ifUnique(builder::projections);
    }
    if (ClassUtils.isPresent("dev.fabula.scheduler.JobQueue", loader)) {
      beans.getBeanProvider(dev.fabula.scheduler.JobQueue.class).ifUnique(builder::jobs);
    }
    return builder.open();
  }

  /** Spring Security's users, and the console's path out of Spring Security's CSRF check. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.security.core.Authentication")
  static class SpringSecurityUsers {
    @Bean
    @ConditionalOnMissingBean
    ConsoleAuthenticator fabulaConsoleAuthenticator(FabulaConsoleProperties p) {
      return new SpringSecurityConsoleAuthenticator(p.getOperatorAuthority(), p.getReaderAuthority());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.security.config.annotation.web.builders.HttpSecurity")
    static class Csrf {
      @Bean
      Customizer<HttpSecurity> fabulaConsoleCsrf(ConsoleConfig config) {
        return http -> {
          try {
            http.csrf(csrf -> csrf.ignoringRequestMatchers(config.basePath() + "/**"));
          } catch (Exception e) { // Spring Security 6 declares it
            throw new IllegalStateException("cannot leave the console's path out of Spring Security's CSRF check", e);
          }
        };
      }
    }
  }

  /** Without Spring Security: the shared token of {@code fabula.console.token}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("org.springframework.security.core.Authentication")
  static class TokenUser {
    @Bean
    @ConditionalOnMissingBean
    ConsoleAuthenticator fabulaConsoleAuthenticator(FabulaConsoleProperties p) {
      String token = p.getToken();
      if (token == null || token.length() < 16) {
        throw new InvalidConfigurationPropertyValueException("fabula.console.token", token == null ? "(unset)" : "(too short)",
            "the console needs a shared token of at least 16 characters (such as 32 random hex digits) when Spring "
                + "Security is not on the class path; or define a ConsoleAuthenticator bean");
      }
      return ConsoleAuthenticator.token(token, ConsoleUser.operator(p.getTokenUser()));
    }
  }
}
