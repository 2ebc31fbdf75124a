package io.github.compensation.sample.partner;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * What a partner is asked to reserve.
 *
 * @param tripRef  the booking reference of the trip, for people reading the partner's list
 * @param customer who travels
 * @param details  what is reserved, e.g. {@code flight to Lisbon}
 * @param amount   the price
 * @param simulate the failure to simulate, or {@code null} to behave
 */
public record ReservationRequest(String tripRef, String customer, String details, BigDecimal amount,
                                 @Nullable FailureMode simulate) {
}
