package io.github.compensation.sample.trip;

import io.github.compensation.spi.CompensationScope;
import io.github.compensation.support.Compensations;
import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.sample.partner.ReservationRequest;
import java.math.BigDecimal;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Books a trip: reserves a flight, a hotel and a payment at three partners over HTTP, stores the trip, and announces
 * it once the database committed.
 *
 * <p>After each reservation succeeds, the undo is registered. If anything later fails (a partner refuses, times out,
 * or the trip cannot be stored, even at commit), the undos run newest first after the database rolled back, and the
 * caller gets the original exception. The {@link TripBooked} event is dispatched only after the commit.
 */
@Service
public class TripService {

    private final PartnerClient flights;
    private final PartnerClient hotels;
    private final PartnerClient payments;
    private final TripRepository trips;
    private final TripAnnouncer announcer;
    private final RollbackCommands rollback;

    TripService(@Qualifier("flights") PartnerClient flights, @Qualifier("hotels") PartnerClient hotels,
            @Qualifier("payments") PartnerClient payments, TripRepository trips, TripAnnouncer announcer,
            RollbackCommands rollback) {
        this.flights = flights;
        this.hotels = hotels;
        this.payments = payments;
        this.trips = trips;
        this.announcer = announcer;
        this.rollback = rollback;
    }

    @RollbackOnceFailed
    @DispatchAfterCommit
    @Transactional
    public Trip book(TripRequest request) {
        request.validate();
        String bookingRef = request.bookingRef() != null ? request.bookingRef() : newBookingRef();
        BigDecimal amount = request.amountOrDefault();
        TripRequest.Failures fail = request.failures();

        String flight = reserve(flights, "cancel flight", new ReservationRequest(bookingRef, request.customer(),
                "flight to " + request.destination(), amount, fail.flights()));
        String hotel = reserve(hotels, "cancel hotel", new ReservationRequest(bookingRef, request.customer(),
                "hotel in " + request.destination(), amount, fail.hotels()));
        String payment = reserve(payments, "refund payment", new ReservationRequest(bookingRef, request.customer(),
                "charge " + amount, amount, fail.payments()));

        // A duplicate booking reference fails here (H2) or at commit (PostgreSQL, deferred constraint): either way
        // after the three partners were called, and their reservations are undone.
        long id = trips.insert(bookingRef, request.customer(), request.destination(), amount, flight, hotel, payment);

        TripBooked booked = new TripBooked(id, bookingRef, request.customer(), request.destination());
        announcer.announceAfterCommit(booked);

        return new Trip(id, bookingRef, request.customer(), request.destination(), amount, flight, hotel, payment,
                null, currentScopeId());
    }

    /**
     * Reserves at one partner and registers how to undo it. The reference is ours, so that a reservation whose reply
     * timed out (and that the partner may well have made) can still be cancelled.
     */
    private String reserve(PartnerClient partner, String undo, ReservationRequest request) {
        String reference = partner.newReference();
        try {
            partner.reserve(reference, request);
        }
        catch (PartnerTimeoutException replyLost) {
            rollback.append(undo + " " + reference + " (reply timed out)", () -> partner.cancelIfExists(reference));
            throw replyLost;
        }
        rollback.append(undo + " " + reference, () -> partner.cancel(reference));
        return reference;
    }

    private static String newBookingRef() {
        return "TRIP-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static @Nullable String currentScopeId() {
        CompensationScope scope = Compensations.currentScope();
        return scope != null ? scope.id() : null;
    }
}
