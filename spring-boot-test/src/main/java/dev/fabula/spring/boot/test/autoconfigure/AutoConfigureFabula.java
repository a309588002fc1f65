package dev.fabula.spring.boot.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * The auto-configuration of a {@link FabulaTest}: the test database ({@code fabula.test.database}:
 * {@code sqlite} unless set), the data source, its transactions, {@code JdbcTemplate}, SQL
 * initialization, and Fabula's store, projections and scheduler. On its own, for instance beside
 * {@code @SpringBootTest}, it adds the test database to a full application context (set {@code
 * fabula.test.database=application} to keep the application's).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureFabula {}
