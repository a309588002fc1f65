package dev.fabula.jdbc.spi;

/**
 * Lists a {@link Component} for {@link dev.fabula.jdbc.JdbcEventStore#migrate(String,
 * dev.fabula.jdbc.JdbcConfig)} and {@code fabula migrate}, which migrate the event store and every
 * component found on the classpath in one step. Implement it with a public no-argument
 * constructor and name the class in {@code META-INF/services/dev.fabula.jdbc.spi.ComponentProvider};
 * the modules of this library (projections, the scheduler, the migration toolkit, snapshots) do.
 *
 * <p>Discovery only decides what {@code migrate} migrates: opening a component still goes through
 * {@link ComponentDatabase#open}, and each component found is logged. Two providers of one
 * component name count once.
 */
public interface ComponentProvider {

  /** The component: its name in {@code <prefix>schema_version}, its SQL folder, its migrations. */
  Component component();

  /**
   * What erases the copies of events' data this component's tables keep, when {@link
   * dev.fabula.EventStore#erase} erases a subject or a stream; null (the default) when its tables
   * keep none. Called once per store, with the component's database layer, when the component's
   * tables exist in the store's database. A store refuses to erase while its database has tables of
   * a component no provider on the class path lists: it could not erase what they hold.
   */
  default dev.fabula.spi.@org.jspecify.annotations.Nullable ErasureParticipant erasure(ComponentDatabase db) {
    return null;
  }
}
