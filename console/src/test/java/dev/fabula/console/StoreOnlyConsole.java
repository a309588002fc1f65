package dev.fabula.console;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A console over a store alone, run by {@link StoreOnlyClassPathTest} in a class loader without
 * fabula-projections and fabula-scheduler: returns the status and page of the event log.
 */
public final class StoreOnlyConsole implements Function<String, String> {

  /** The reflection constructor. */
  public StoreOnlyConsole() {}

  @Override
  public String apply(String url) {
    try {
      Class.forName("org.sqlite.JDBC"); // registers this class loader's copy of the driver with DriverManager
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true))) {
      store.append("order-1", ExpectedVersion.any(), List.of(EventData.json("placed", 1,
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("n", 1))));
      Console console = Console.builder(store)
          .authenticator(ConsoleAuthenticator.token(ConsoleFixture.TOKEN, ConsoleUser.operator("ops"))).open();
      ConsoleResponse response = console.handle(ConsoleRequest.of("GET", "/console/events",
          Map.of("Authorization", "Bearer " + ConsoleFixture.TOKEN), new byte[0], null));
      ConsoleResponse jobs = console.handle(ConsoleRequest.of("GET", "/console/jobs",
          Map.of("Authorization", "Bearer " + ConsoleFixture.TOKEN), new byte[0], null));
      return response.status() + " " + jobs.status() + " " + response.text();
    }
  }
}
