package dev.fabula.example;

import dev.fabula.AggregateRepository;
import dev.fabula.CommandResult;
import dev.fabula.EventStore;
import dev.fabula.HistoryEntry;
import dev.fabula.RepositoryConfig;
import dev.fabula.example.ConfigValues.ConfigCommand;
import dev.fabula.example.ConfigValues.ConfigEvent;
import dev.fabula.example.ConfigValues.ConfigValue;
import dev.fabula.example.ConfigValues.ConfigValueAggregate;
import dev.fabula.example.ConfigValues.DeleteValue;
import dev.fabula.example.ConfigValues.SetValue;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A user's config service on the aggregate repository: set, delete, read, history, time travel. */
public final class ConfigService {

  /** One change of a value: when, and the value after it (empty once deleted). */
  public record Change(Instant at, long version, Optional<String> value) {}

  private final AggregateRepository<ConfigValue, ConfigCommand, ConfigEvent> values;

  public ConfigService(EventStore store, RepositoryConfig config) {
    this.values = AggregateRepository.of(store, new ConfigValueAggregate(), config);
  }

  public CommandResult<ConfigEvent> set(String name, String value) {
    return values.handle(name, new SetValue(value));
  }

  public CommandResult<ConfigEvent> delete(String name) {
    return values.handle(name, new DeleteValue());
  }

  public Optional<String> value(String name) {
    return Optional.ofNullable(values.load(name).state().value());
  }

  public Optional<String> valueAt(String name, Instant instant) {
    return Optional.ofNullable(values.loadAsOf(name, instant).state().value());
  }

  public List<Change> history(String name) {
    return values.history(name).stream()
        .map((HistoryEntry<ConfigValue, ConfigEvent> h) ->
            new Change(h.recordedAt(), h.version(), Optional.ofNullable(h.state().value())))
        .toList();
  }
}
