/**
 * The journal: durable compensations (write-ahead, outside the business transaction, with a marker row inside it) and
 * an outbox for dispatches, in the application's own database (clauses J1–J6, T3).
 */
@NullMarked
package io.github.compensation.journal;

import org.jspecify.annotations.NullMarked;
