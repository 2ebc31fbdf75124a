package io.github.compensation.sample.partner;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The three simulated partner services, {@code /partners/flights}, {@code /partners/hotels} and
 * {@code /partners/payments}, each with its own reservations in the {@link PartnerLedger}.
 *
 * <ul>
 *   <li>{@code PUT /partners/{partner}/{reference}} reserves under the caller's reference (idempotent);</li>
 *   <li>{@code DELETE /partners/{partner}/{reference}} cancels;</li>
 *   <li>{@code POST /partners/{partner}/{reference}/recover} ends a simulated {@code CANCEL_FAILS}: the partner is
 *   back, cancelling works again (to retry the failed undo from the operator page);</li>
 *   <li>{@code GET /partners/{partner}[?tripRef=...]} lists the reservations with their status.</li>
 * </ul>
 *
 * Failures happen only when the reservation request asks for one ({@link ReservationRequest#simulate()}).
 */
@RestController
@RequestMapping("/partners/{partner}")
class PartnerController {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerController.class);

    private final PartnerLedger ledger;
    private final PartnerProperties properties;

    PartnerController(PartnerLedger ledger, PartnerProperties properties) {
        this.ledger = ledger;
        this.properties = properties;
    }

    @GetMapping
    List<Reservation> list(@PathVariable String partner, @RequestParam(required = false) @Nullable String tripRef) {
        return ledger.list(partnerNamed(partner)).stream()
                .filter(reservation -> tripRef == null || reservation.tripRef().equals(tripRef))
                .toList();
    }

    @GetMapping("/{reference}")
    Reservation get(@PathVariable String partner, @PathVariable String reference) {
        PartnerName name = partnerNamed(partner);
        return ledger.find(name, reference).orElseThrow(() -> notFound(name, reference));
    }

    @PutMapping("/{reference}")
    ResponseEntity<Reservation> reserve(@PathVariable String partner, @PathVariable String reference,
            @RequestBody ReservationRequest request) throws InterruptedException {
        PartnerName name = partnerNamed(partner);
        FailureMode simulate = request.simulate();
        if (simulate == FailureMode.REFUSE) {
            throw problem(HttpStatus.UNPROCESSABLE_CONTENT, name.refusal() + " (simulated)");
        }
        if (simulate == FailureMode.UNAVAILABLE) {
            throw problem(HttpStatus.SERVICE_UNAVAILABLE, "service unavailable (simulated)");
        }
        Reservation reservation;
        synchronized (ledger) {
            Reservation existing = ledger.find(name, reference).orElse(null);
            if (existing != null) {
                if (existing.status() == ReservationStatus.CANCELLED) {
                    throw problem(HttpStatus.CONFLICT, "reservation " + reference
                            + " was cancelled; use a new reference");
                }
                return ResponseEntity.ok(existing);
            }
            reservation = ledger.save(new Reservation(reference, name, request.tripRef(), request.customer(),
                    request.details(), request.amount(), ReservationStatus.RESERVED,
                    simulate == FailureMode.CANCEL_FAILS, Instant.now(), null));
        }
        if (simulate == FailureMode.TIMEOUT) {
            // The reservation is made; only the reply is late, later than the client waits. The caller cannot know
            // whether it exists: that is why it chose the reference and can cancel by it.
            LOG.info("{} {} reserved; replying only in {} (simulated TIMEOUT)", name.path(), reference,
                    properties.slowReply());
            Thread.sleep(properties.slowReply().toMillis());
        }
        return ResponseEntity.created(URI.create("/partners/" + name.path() + "/" + reference)).body(reservation);
    }

    @DeleteMapping("/{reference}")
    Reservation cancel(@PathVariable String partner, @PathVariable String reference) {
        PartnerName name = partnerNamed(partner);
        synchronized (ledger) {
            Reservation reservation = ledger.find(name, reference).orElseThrow(() -> notFound(name, reference));
            if (reservation.cancellationFails()) {
                throw problem(HttpStatus.INTERNAL_SERVER_ERROR, "cancellation failed (simulated)");
            }
            if (reservation.status() == ReservationStatus.CANCELLED) {
                return reservation;
            }
            return ledger.save(reservation.cancelled());
        }
    }

    @PostMapping("/{reference}/recover")
    Reservation recover(@PathVariable String partner, @PathVariable String reference) {
        PartnerName name = partnerNamed(partner);
        synchronized (ledger) {
            Reservation reservation = ledger.find(name, reference).orElseThrow(() -> notFound(name, reference));
            return ledger.save(reservation.recovered());
        }
    }

    private static PartnerName partnerNamed(String path) {
        return PartnerName.fromPath(path).orElseThrow(() -> problem(HttpStatus.NOT_FOUND,
                "No partner '" + path + "': use flights, hotels or payments"));
    }

    private static ErrorResponseException notFound(PartnerName name, String reference) {
        return problem(HttpStatus.NOT_FOUND, "no reservation " + reference);
    }

    private static ErrorResponseException problem(HttpStatus status, String detail) {
        return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
    }
}
