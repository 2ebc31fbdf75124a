package io.github.compensation.sample.trip;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A booked trip, as stored in the {@code trips} table.
 *
 * @param id                 database id
 * @param bookingRef         unique booking reference
 * @param customer           who travels
 * @param destination        where to
 * @param amount             what was charged
 * @param flightReservation  the reference at the flights partner
 * @param hotelReservation   the reference at the hotels partner
 * @param paymentReservation the reference at the payments partner
 * @param bookedAt           when it was stored
 * @param scope              id of the compensation scope that booked it, to look up in {@code GET /reports/{id}};
 *                           {@code null} when read back from the database
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Trip(long id, String bookingRef, String customer, String destination, BigDecimal amount,
                   String flightReservation, String hotelReservation, String paymentReservation,
                   @Nullable Instant bookedAt, @Nullable String scope) {
}
