package io.github.compensation.sample.trip;

import io.github.compensation.sample.partner.PartnerName;
import io.github.compensation.sample.partner.ReservationRequest;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * Calls one partner service over HTTP with {@link WebClient}, for the reactive booking: the same requests and the same
 * {@link PartnerException}s as {@link PartnerClient}, as {@code Mono}s that do nothing until subscribed.
 */
public class ReactivePartnerClient {

    private final PartnerName partner;
    private final WebClient http;
    private final Supplier<String> baseUrl;
    private final Duration readTimeout;

    /**
     * @param partner     which partner
     * @param http        the client
     * @param baseUrl     where the partner lives, resolved at each call (it may name this application's own port)
     * @param readTimeout how long to wait for a reply
     */
    public ReactivePartnerClient(PartnerName partner, WebClient http, Supplier<String> baseUrl,
            Duration readTimeout) {
        this.partner = partner;
        this.http = http;
        this.baseUrl = baseUrl;
        this.readTimeout = readTimeout;
    }

    public PartnerName partner() {
        return partner;
    }

    public Mono<Void> reserve(String reference, ReservationRequest request) {
        return call("reserve " + reference, http.put().uri(baseUrl.get() + "/" + reference).bodyValue(request)
                .retrieve().toBodilessEntity().then());
    }

    public Mono<Void> cancel(String reference) {
        return call("cancel " + reference, http.delete().uri(baseUrl.get() + "/" + reference).retrieve()
                .toBodilessEntity().then());
    }

    /** Cancels a reservation that may not exist (its reply was lost): a 404 counts as done. */
    public Mono<Void> cancelIfExists(String reference) {
        return cancel(reference).onErrorResume(PartnerRefusedException.class,
                refused -> refused.status() == HttpStatus.NOT_FOUND.value() ? Mono.empty() : Mono.error(refused));
    }

    private Mono<Void> call(String operation, Mono<Void> call) {
        return call.timeout(readTimeout).onErrorMap(failure -> translate(operation, failure));
    }

    private Throwable translate(String operation, Throwable failure) {
        if (failure instanceof WebClientResponseException response) {
            ProblemDetail problem = problemOf(response);
            String said = problem != null && problem.getDetail() != null ? problem.getDetail()
                    : response.getStatusText();
            return new PartnerRefusedException(partner, response.getStatusCode().value(), partner.path()
                    + " refused to " + operation + ": HTTP " + response.getStatusCode().value() + " " + said,
                    response);
        }
        if (failure instanceof TimeoutException) {
            return new PartnerTimeoutException(partner, partner.path() + " did not answer " + operation
                    + " in time; the partner may have done it", failure);
        }
        if (failure instanceof WebClientRequestException io) {
            return new PartnerUnreachableException(partner, partner.path() + " unreachable on " + operation + ": "
                    + io.getMessage(), io);
        }
        return failure;
    }

    private static @Nullable ProblemDetail problemOf(WebClientResponseException response) {
        try {
            return response.getResponseBodyAs(ProblemDetail.class);
        }
        catch (RuntimeException unreadable) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "ReactivePartnerClient[" + partner.path() + "]";
    }
}
