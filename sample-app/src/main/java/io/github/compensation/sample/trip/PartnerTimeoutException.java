package io.github.compensation.sample.trip;

import io.github.compensation.sample.partner.PartnerName;

/**
 * A partner did not answer within the read timeout. The request may have succeeded at the partner: only the reply is
 * missing.
 */
public class PartnerTimeoutException extends PartnerException {

    PartnerTimeoutException(PartnerName partner, String message, Throwable cause) {
        super(partner, message, cause);
    }
}
