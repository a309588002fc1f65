package dev.fabula.spring.boot.test.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;
import org.springframework.util.ClassUtils;

/**
 * Component scanning of a {@link FabulaTest}: keeps job handlers ({@code JobHandler}, {@code
 * JobHandlerProvider}) and what the test's filters include, leaves out every other component.
 */
final class FabulaTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<FabulaTest> {
  private static final Set<Class<?>> INCLUDES = includes();

  FabulaTypeExcludeFilter(Class<?> testClass) {
    super(testClass);
  }

  @Override
  protected Set<Class<?>> getKnownIncludes() {
    return INCLUDES;
  }

  private static Set<Class<?>> includes() {
    Set<Class<?>> includes = new LinkedHashSet<>();
    ClassLoader loader = FabulaTypeExcludeFilter.class.getClassLoader();
    for (String name : new String[] {"dev.fabula.scheduler.JobHandler", "dev.fabula.scheduler.spi.JobHandlerProvider"}) {
      if (ClassUtils.isPresent(name, loader)) {
        includes.add(ClassUtils.resolveClassName(name, loader));
      }
    }
    return Set.copyOf(includes);
  }
}
