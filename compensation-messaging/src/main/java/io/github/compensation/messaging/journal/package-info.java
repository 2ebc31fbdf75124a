/**
 * Messages through the journal's outbox (clause M2): used when {@code compensation-journal} is on the class path and
 * switched on.
 */
@NullMarked
package io.github.compensation.messaging.journal;

import org.jspecify.annotations.NullMarked;
