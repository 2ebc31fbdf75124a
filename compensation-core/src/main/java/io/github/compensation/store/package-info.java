/**
 * Keeping settled scopes for people to look at (clause O1): the {@link io.github.compensation.store.ScopeStore} SPI
 * that the operations endpoint reads and acts through, and {@link io.github.compensation.store.InMemoryScopeStore},
 * its bounded in-memory implementation. A durable journal implements the same SPI.
 */
@NullMarked
package io.github.compensation.store;

import org.jspecify.annotations.NullMarked;
