package io.github.compensation.sample.trip;

import io.github.compensation.sample.partner.FailureMode;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /parallel-trips}.
 *
 * @param customer    who travels
 * @param destination where to
 * @param amount      the price each partner is asked for; 300.00 when absent
 * @param bookingRef  the trip's booking reference, unique; generated when absent
 * @param fail        which partners should fail and how, e.g. {@code {"cars": "REFUSE"}}; nothing fails when absent
 */
public record ParallelTripRequest(String customer, String destination, @Nullable BigDecimal amount,
                                  @Nullable String bookingRef, @Nullable Failures fail) {

    /**
     * Failures to simulate, per partner.
     *
     * @param flights how the flights partner fails, or {@code null}
     * @param hotels  how the hotels partner fails, or {@code null}
     * @param cars    how the cars partner fails, or {@code null}
     */
    public record Failures(@Nullable FailureMode flights, @Nullable FailureMode hotels, @Nullable FailureMode cars) {

        static final Failures NONE = new Failures(null, null, null);
    }

    void validate() {
        new TripRequest(customer, destination, amount, bookingRef, null).validate();
    }

    BigDecimal amountOrDefault() {
        return amount != null ? amount : new BigDecimal("300.00");
    }

    Failures failures() {
        return fail != null ? fail : Failures.NONE;
    }
}
