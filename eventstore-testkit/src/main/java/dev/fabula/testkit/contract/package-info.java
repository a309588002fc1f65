/**
 * The contract suites every {@link dev.fabula.EventStore} backend must pass, published so that a
 * third-party backend runs the same tests as the built-in ones.
 *
 * <p>A backend adds one small subclass per suite — {@link
 * dev.fabula.testkit.contract.EventStoreContract}, {@link
 * dev.fabula.testkit.contract.EventStoreTenancyContract}, {@link
 * dev.fabula.testkit.contract.EventStoreSerializationContract}, {@link
 * dev.fabula.testkit.contract.EventStoreBadInputContract} and {@link
 * dev.fabula.testkit.contract.EventStoreConcurrencyContract} — each implementing only {@code
 * openStore(EventStoreConfig, String)}. The suites give every store a fresh table prefix (the
 * second argument; see {@link
 * dev.fabula.testkit.contract.StoreContractSupport#uniqueTablePrefix()}), so the stores of one
 * database never see each other's events.
 */
@NullMarked
package dev.fabula.testkit.contract;

import org.jspecify.annotations.NullMarked;
