package dev.fabula.spring.boot.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test of the application's event-sourced parts, and nothing else: starts the event store, the
 * projections and the scheduler (with the application's {@code Projection} beans and job handler
 * components), the data source, its transactions and {@code JdbcTemplate}, on a fresh SQLite file
 * (the default) or a fresh database of the testkit's embedded PostgreSQL ({@code database =
 * POSTGRES}, needs {@code fabula-testkit} on the test class path). Tables are migrated when the
 * store opens ({@code fabula.jdbc.migrate-on-open=true}); no web server, no other auto-configuration,
 * no other components.
 *
 * <pre>{@code
 * @FabulaTest
 * @Import(BookingService.class)   // what else the test needs
 * class BookingHandlersTest {
 *   @Autowired BookingService bookings;
 *   @Autowired JdbcEventStore store;
 *   ...
 * }
 * }</pre>
 *
 * Component scanning keeps {@code JobHandler} and {@code JobHandlerProvider} components; add others
 * with {@link #includeFilters()} or {@code @Import}. The {@code @SpringBootConfiguration} class's own
 * {@code @Bean} methods (such as {@code Projection} beans) are kept, as in every Spring Boot slice.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(FabulaTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(FabulaTypeExcludeFilter.class)
@AutoConfigureFabula
public @interface FabulaTest {

  /** Properties in {@code key=value} form, added to the environment before the context starts. */
  String[] properties() default {};

  /** The database the test runs on: a fresh one for each test context. */
  @PropertyMapping("fabula.test.database")
  FabulaTestDatabase database() default FabulaTestDatabase.SQLITE;

  /** Whether component scanning keeps the default includes (job handlers). */
  boolean useDefaultFilters() default true;

  /** More components component scanning keeps. */
  Filter[] includeFilters() default {};

  /** Components component scanning leaves out. */
  Filter[] excludeFilters() default {};
}
