package io.github.compensation.sample.trip;

import io.github.compensation.sample.partner.PartnerName;
import io.github.compensation.sample.partner.Reservation;
import io.github.compensation.sample.partner.ReservationRequest;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * Calls one partner service over HTTP. The caller chooses each reservation's reference, so that it can cancel a
 * reservation whose reply got lost. HTTP errors, time-outs and connection failures become {@link PartnerException}s
 * whose message says which partner, which operation and what the partner said.
 */
public class PartnerClient {

    private final PartnerName partner;
    private final RestClient http;
    private final Supplier<String> baseUrl;
    private volatile @Nullable String resolvedBaseUrl;

    /**
     * @param partner which partner
     * @param http    a client with the read timeout set
     * @param baseUrl where the partner lives, resolved on first use (it may name this application's own port)
     */
    public PartnerClient(PartnerName partner, RestClient http, Supplier<String> baseUrl) {
        this.partner = partner;
        this.http = http;
        this.baseUrl = baseUrl;
    }

    public PartnerName partner() {
        return partner;
    }

    /** A fresh reference for a reservation, e.g. {@code FL-1a2b3c4d}. */
    public String newReference() {
        return partner.path().substring(0, 2).toUpperCase(Locale.ROOT) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    public Reservation reserve(String reference, ReservationRequest request) {
        return call("reserve " + reference, () -> http.put().uri(url(reference)).body(request).retrieve()
                .body(Reservation.class));
    }

    public void cancel(String reference) {
        call("cancel " + reference, () -> http.delete().uri(url(reference)).retrieve().toBodilessEntity());
    }

    /**
     * Cancels a reservation that may not exist: used when the reply to the reservation was lost, and a partner that
     * never received the request answers 404.
     */
    public void cancelIfExists(String reference) {
        try {
            cancel(reference);
        }
        catch (PartnerRefusedException refused) {
            if (refused.status() != HttpStatus.NOT_FOUND.value()) {
                throw refused;
            }
        }
    }

    private String url(String reference) {
        String base = resolvedBaseUrl;
        if (base == null) {
            base = baseUrl.get();
            resolvedBaseUrl = base;
        }
        return base + "/" + reference;
    }

    private <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        }
        catch (RestClientResponseException response) {
            ProblemDetail problem = problemOf(response);
            String said = problem != null && problem.getDetail() != null ? problem.getDetail()
                    : response.getStatusText();
            throw new PartnerRefusedException(partner, response.getStatusCode().value(), partner.path()
                    + " refused to " + operation + ": HTTP " + response.getStatusCode().value() + " " + said,
                    response);
        }
        catch (ResourceAccessException io) {
            if (isTimeout(io)) {
                throw new PartnerTimeoutException(partner, partner.path() + " did not answer " + operation
                        + " in time; the partner may have done it", io);
            }
            throw new PartnerUnreachableException(partner, partner.path() + " unreachable on " + operation + ": "
                    + io.getMessage(), io);
        }
    }

    private static @Nullable ProblemDetail problemOf(RestClientResponseException response) {
        try {
            return response.getResponseBodyAs(ProblemDetail.class);
        }
        catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException || cause instanceof HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "PartnerClient[" + partner.path() + "]";
    }
}
