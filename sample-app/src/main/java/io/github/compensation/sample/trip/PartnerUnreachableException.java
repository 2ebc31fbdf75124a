package io.github.compensation.sample.trip;

import io.github.compensation.sample.partner.PartnerName;

/** A partner could not be reached at all (connection refused, unknown host...). */
public class PartnerUnreachableException extends PartnerException {

    PartnerUnreachableException(PartnerName partner, String message, Throwable cause) {
        super(partner, message, cause);
    }
}
