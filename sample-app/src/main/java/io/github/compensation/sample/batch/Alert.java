package io.github.compensation.sample.batch;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A row of the {@code alerts} table: a customer the batch could not suspend.
 *
 * @param id        database id
 * @param context   what was being done, e.g. {@code Suspending customer 4 (Davi Rocha)}
 * @param errorType the exception's class
 * @param message   the exception's message
 * @param scopeId   the compensation scope, to look up in {@code GET /reports/{id}}
 * @param createdAt when
 */
public record Alert(long id, String context, String errorType, String message, @Nullable String scopeId,
                    Instant createdAt) {
}
