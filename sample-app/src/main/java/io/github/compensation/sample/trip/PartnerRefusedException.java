package io.github.compensation.sample.trip;

import io.github.compensation.sample.partner.PartnerName;

/** A partner answered with an HTTP error: it refused the reservation, or the cancellation. */
public class PartnerRefusedException extends PartnerException {

    private final int status;

    PartnerRefusedException(PartnerName partner, int status, String message, Throwable cause) {
        super(partner, message, cause);
        this.status = status;
    }

    /** The HTTP status the partner answered. */
    public int status() {
        return status;
    }
}
