package io.github.compensation.sample.trip;

import io.github.compensation.sample.partner.FailureMode;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /trips}.
 *
 * @param customer    who travels
 * @param destination where to
 * @param amount      what the payment partner charges; 500.00 when absent
 * @param bookingRef  the trip's booking reference, unique; generated when absent
 * @param fail        which partners should fail and how, e.g. {@code {"payments": "REFUSE"}}; nothing fails when
 *                    absent
 */
public record TripRequest(String customer, String destination, @Nullable BigDecimal amount,
                          @Nullable String bookingRef, @Nullable Failures fail) {

    /**
     * Failures to simulate, per partner.
     *
     * @param flights  how the flights partner fails, or {@code null}
     * @param hotels   how the hotels partner fails, or {@code null}
     * @param payments how the payments partner fails, or {@code null}
     */
    public record Failures(@Nullable FailureMode flights, @Nullable FailureMode hotels,
                           @Nullable FailureMode payments) {

        static final Failures NONE = new Failures(null, null, null);
    }

    void validate() {
        if (customer == null || customer.isBlank()) {
            throw new IllegalArgumentException("customer is required");
        }
        if (destination == null || destination.isBlank()) {
            throw new IllegalArgumentException("destination is required");
        }
        if (amount != null && amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be positive");
        }
    }

    BigDecimal amountOrDefault() {
        return amount != null ? amount : new BigDecimal("500.00");
    }

    Failures failures() {
        return fail != null ? fail : Failures.NONE;
    }
}
