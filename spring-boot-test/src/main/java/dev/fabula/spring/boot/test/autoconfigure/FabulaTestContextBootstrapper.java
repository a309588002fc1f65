package dev.fabula.spring.boot.test.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.test.context.SpringBootTestContextBootstrapper;
import org.springframework.core.annotation.MergedAnnotations;

/**
 * Bootstraps a {@link FabulaTest}: Spring Boot's test bootstrapping, with the store migrating its
 * tables on open (the test database is fresh) and the test's own {@link FabulaTest#properties()}
 * after that, so a test may turn it off.
 */
class FabulaTestContextBootstrapper extends SpringBootTestContextBootstrapper {

  @Override
  protected String[] getProperties(Class<?> testClass) {
    List<String> properties = new ArrayList<>();
    properties.add("fabula.jdbc.migrate-on-open=true");
    MergedAnnotations.from(testClass, MergedAnnotations.SearchStrategy.INHERITED_ANNOTATIONS).get(FabulaTest.class)
        .getValue("properties", String[].class).ifPresent(p -> properties.addAll(Arrays.asList(p)));
    return properties.toArray(String[]::new);
  }
}
