package dev.fabula.spring.boot.autoconfigure;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/** The application of the console tests: Spring Security with HTTP Basic, an operator and a user without a console role. */
@SpringBootConfiguration
@EnableAutoConfiguration
class ConsoleTestApp {

  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    if (org.springframework.boot.SpringBootVersion.getVersion().startsWith("3.")) {
      // Spring Security 6 applies no Customizer<HttpSecurity> beans: on Boot 3.5 the application
      // leaves the console's path out of Spring Security's CSRF check itself (docs/spring-boot.md).
      http.csrf(csrf -> csrf.ignoringRequestMatchers("/console/**"));
    }
    return http.authorizeHttpRequests(a -> a.anyRequest().authenticated()).httpBasic(Customizer.withDefaults()).build();
  }

  @Bean
  UserDetailsService users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("ops").password("{noop}ops-secret").roles("FABULA_OPERATOR").build(),
        User.withUsername("guest").password("{noop}guest-secret").roles("USER").build());
  }
}
