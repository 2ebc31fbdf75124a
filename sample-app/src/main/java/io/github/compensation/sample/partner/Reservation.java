package io.github.compensation.sample.partner;

import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A reservation as a partner keeps it.
 *
 * @param reference          chosen by the caller, so that it can cancel even when the reply got lost
 * @param partner            which partner holds it
 * @param tripRef            the trip it belongs to
 * @param customer           who travels
 * @param details            what is reserved
 * @param amount             the price
 * @param status             RESERVED or CANCELLED
 * @param cancellationFails  whether cancelling it will fail (simulated with {@link FailureMode#CANCEL_FAILS})
 * @param reservedAt         when it was made
 * @param cancelledAt        when it was cancelled, or {@code null}
 */
public record Reservation(String reference, PartnerName partner, String tripRef, String customer, String details,
                          BigDecimal amount, ReservationStatus status, boolean cancellationFails, Instant reservedAt,
                          @Nullable Instant cancelledAt) {

    Reservation cancelled() {
        return new Reservation(reference, partner, tripRef, customer, details, amount, ReservationStatus.CANCELLED,
                cancellationFails, reservedAt, Instant.now());
    }

    Reservation recovered() {
        return new Reservation(reference, partner, tripRef, customer, details, amount, status, false, reservedAt,
                cancelledAt);
    }
}
