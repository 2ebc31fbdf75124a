package io.github.compensation.sample.trip;

import io.github.compensation.sample.partner.PartnerName;

/** A call to a partner service failed. */
public abstract class PartnerException extends RuntimeException {

    private final PartnerName partner;

    PartnerException(PartnerName partner, String message, Throwable cause) {
        super(message, cause);
        this.partner = partner;
    }

    public PartnerName partner() {
        return partner;
    }
}
