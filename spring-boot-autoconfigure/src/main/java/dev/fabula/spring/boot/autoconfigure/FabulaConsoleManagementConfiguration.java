package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.console.Console;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Serves the {@link Console} bean ({@link FabulaConsoleAutoConfiguration}) on the management
 * server: in Actuator's own web server when {@code management.server.port} differs from the
 * application's (the console is then not on the application's port at all), else in the
 * application's, at {@code fabula.console.base-path} (default {@code /console}). Needs a servlet
 * web application and Actuator.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnClass({Console.class, ServletRegistrationBean.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(Console.class)
public class FabulaConsoleManagementConfiguration {

  /** The console's servlet at its base path and below. */
  @Bean
  ServletRegistrationBean<?> fabulaConsoleServlet(Console console) {
    String base = console.config().basePath();
    ServletRegistrationBean<ConsoleServlet> registration = new ServletRegistrationBean<>(new ConsoleServlet(console), base, base + "/*");
    registration.setName("fabulaConsole");
    return registration;
  }
}
