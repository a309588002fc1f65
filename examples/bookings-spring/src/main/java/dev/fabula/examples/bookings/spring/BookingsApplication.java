package dev.fabula.examples.bookings.spring;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The bookings platform as a Spring Boot application: the starter supplies the event store on
 * {@code spring.datasource.*}, the job queue and its worker pool, and the projection runner;
 * {@link BookingsConfiguration} adds the platform's parts; {@link BookingService} is its API.
 *
 * <p>{@link #main} runs the tour ({@link SpringTour}) with the {@code tour} profile (fast retries,
 * frequent snapshots) on {@code target/bookings-spring.db}, deleted first, or on the database that
 * {@code --spring.datasource.url=…} names (an empty one), then closes the context: the worker pool
 * and the runner stop, the store closes.
 */
@SpringBootApplication
public class BookingsApplication {

  /** The SQLite file the tour runs on by default (application.properties names it). */
  static final Path DEFAULT_DATABASE = Path.of("target", "bookings-spring.db");

  /** Runs the tour. */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (Arrays.stream(args).noneMatch(a -> a.startsWith("--spring.datasource.url="))) {
      Files.createDirectories(DEFAULT_DATABASE.getParent());
      for (String suffix : new String[] {"", "-wal", "-shm"}) {
        Files.deleteIfExists(Path.of(DEFAULT_DATABASE + suffix));
      }
    }
    runTour(System.out, args);
  }

  /** Starts the application with the {@code tour} profile and {@code args}, plays the tour to {@code out}, and stops it. */
  public static void runTour(PrintStream out, String... args) throws InterruptedException {
    SpringApplication app = new SpringApplication(BookingsApplication.class);
    app.setAdditionalProfiles("tour");
    try (ConfigurableApplicationContext context = app.run(args)) {
      context.getBean(SpringTour.class).run(out);
    }
  }
}
