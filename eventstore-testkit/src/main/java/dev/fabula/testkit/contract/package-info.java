/**
 * The contract suites every {@link dev.fabula.EventStore} backend must pass, published so that a
 * third-party backend runs the same tests as the built-in ones.
 *
 * <p>A backend adds one small subclass per suite, each implementing only {@code
 * openStore(EventStoreConfig, String)} (the second argument is a fresh table prefix):
 *
 * <ul>
 *   <li>{@link dev.fabula.testkit.contract.EventStoreAppendContract}: appends and expected versions;
 *   <li>{@link dev.fabula.testkit.contract.EventStoreIdempotencyContract}: retries by event id;
 *   <li>{@link dev.fabula.testkit.contract.EventStoreStreamReadContract}: reading one stream;
 *   <li>{@link dev.fabula.testkit.contract.EventStoreLogContract}: the global log;
 *   <li>{@link dev.fabula.testkit.contract.EventStoreDeleteContract}: soft and hard deletes;
 *   <li>{@link dev.fabula.testkit.contract.EventStoreUnitOfWorkContract}: units of work;
 *   <li>{@link dev.fabula.testkit.contract.EventStoreTenancyContract}: tenants;
 *   <li>{@link dev.fabula.testkit.contract.EventStoreSerializationContract}: event payloads;
 *   <li>{@link dev.fabula.testkit.contract.EventStoreBadStreamIdsAndBatchesContract}: malformed
 *       stream ids and batches;
 *   <li>{@link dev.fabula.testkit.contract.EventStoreBadPayloadsContract}: malformed payloads and
 *       arguments;
 *   <li>{@link dev.fabula.testkit.contract.EventStoreNumbersContract}: the number and nesting
 *       policy;
 *   <li>{@link dev.fabula.testkit.contract.EventStoreAwkwardTextContract}: awkward but valid text;
 *   <li>{@link dev.fabula.testkit.contract.EventStoreConcurrentWritesContract}: many writers at
 *       once;
 *   <li>{@link dev.fabula.testkit.contract.EventStoreConcurrentReadsContract}: readers alongside
 *       writers.
 * </ul>
 *
 * <p>The suites give every store a fresh table prefix (see {@link
 * dev.fabula.testkit.contract.StoreContractSupport#uniqueTablePrefix()}), so the stores of one
 * database never see each other's events.
 */
@NullMarked
package dev.fabula.testkit.contract;

import org.jspecify.annotations.NullMarked;
