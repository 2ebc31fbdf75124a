package io.github.compensation.sample.trip;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.reactor.ReactiveDispatchCommands;
import io.github.compensation.reactor.ReactiveRollbackCommands;
import io.github.compensation.reactor.ReactiveScopes;
import io.github.compensation.sample.partner.FailureMode;
import io.github.compensation.sample.partner.ReservationRequest;
import io.github.compensation.spi.CompensationScope;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The parallel booking written reactively (clause A2): flight, hotel and car reserved at the same time with
 * {@code WebClient}, the trip stored through R2DBC in a reactive transaction of its own, the {@link TripBooked} event
 * dispatched once everything succeeded. Each reservation registers its undo in the subscription's scope with
 * {@link ReactiveRollbackCommands}; a failure anywhere undoes, in parallel, what was reserved, before the error
 * reaches the caller.
 */
@Service
public class ReactiveTripService {

    private final ReactivePartnerClient flights;
    private final ReactivePartnerClient hotels;
    private final ReactivePartnerClient cars;
    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final ApplicationEventPublisher events;
    private final ReactiveRollbackCommands rollback;
    private final ReactiveDispatchCommands dispatch;

    ReactiveTripService(@Qualifier("reactiveFlights") ReactivePartnerClient flights,
            @Qualifier("reactiveHotels") ReactivePartnerClient hotels,
            @Qualifier("reactiveCars") ReactivePartnerClient cars, ReactiveTripsDatabase database,
            ApplicationEventPublisher events, ReactiveRollbackCommands rollback, ReactiveDispatchCommands dispatch) {
        this.flights = flights;
        this.hotels = hotels;
        this.cars = cars;
        this.database = DatabaseClient.create(database.connections());
        this.transactions = TransactionalOperator.create(new R2dbcTransactionManager(database.connections()));
        this.events = events;
        this.rollback = rollback;
        this.dispatch = dispatch;
    }

    @RollbackOnceFailed(parallel = true)
    @DispatchAfterCommit
    public Mono<ParallelTrip> book(ParallelTripRequest request) {
        return Mono.defer(() -> {
            request.validate();
            String bookingRef = request.bookingRef() != null ? request.bookingRef()
                    : "TRIP-" + UUID.randomUUID().toString().substring(0, 8);
            ParallelTripRequest.Failures fail = request.failures();
            Mono<String> flight = reserve(flights, "cancel flight", request, bookingRef,
                    "flight to " + request.destination(), fail.flights());
            Mono<String> hotel = reserve(hotels, "cancel hotel", request, bookingRef,
                    "hotel in " + request.destination(), fail.hotels());
            Mono<String> car = reserve(cars, "cancel car", request, bookingRef, "car in " + request.destination(),
                    fail.cars());
            // zipDelayError waits for all three: a reservation still in flight when another failed is undone too
            return Mono.zipDelayError(flight, hotel, car)
                    .flatMap(reserved -> store(request, bookingRef, reserved.getT1(), reserved.getT2(),
                            reserved.getT3()));
        });
    }

    /** Reserves at one partner and registers the undo once it succeeded (or may have: a lost reply). */
    private Mono<String> reserve(ReactivePartnerClient partner, String undo, ParallelTripRequest trip,
            String bookingRef, String details, @Nullable FailureMode simulate) {
        String reference = partner.partner().path().substring(0, 2).toUpperCase(java.util.Locale.ROOT) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        ReservationRequest request = new ReservationRequest(bookingRef, trip.customer(), details,
                trip.amountOrDefault(), simulate);
        return partner.reserve(reference, request)
                .onErrorResume(PartnerTimeoutException.class, replyLost -> rollback
                        .append(undo + " " + reference + " (reply timed out)", () -> partner.cancelIfExists(reference))
                        .then(Mono.error(replyLost)))
                .then(rollback.append(undo + " " + reference, () -> partner.cancel(reference)))
                .thenReturn(reference);
    }

    private Mono<ParallelTrip> store(ParallelTripRequest request, String bookingRef, String flight, String hotel,
            String car) {
        Mono<Long> insert = database.sql("insert into reactive_trips (booking_ref, customer, destination,"
                        + " flight_reservation, hotel_reservation, car_reservation)"
                        + " values (:ref, :customer, :destination, :flight, :hotel, :car)")
                .bind("ref", bookingRef).bind("customer", request.customer())
                .bind("destination", request.destination()).bind("flight", flight).bind("hotel", hotel)
                .bind("car", car)
                .filter(statement -> statement.returnGeneratedValues("id"))
                .map(row -> row.get("id", Long.class))
                .one();
        return transactions.transactional(insert)
                .flatMap(id -> dispatch.appendBlocking("publish TripBooked " + bookingRef, () -> events
                                .publishEvent(new TripBooked(id, bookingRef, request.customer(), request.destination())))
                        .then(ReactiveScopes.currentScope())
                        .map(scope -> new ParallelTrip(id, bookingRef, request.customer(), request.destination(),
                                flight, hotel, car, scopeId(scope))));
    }

    private static String scopeId(CompensationScope scope) {
        return scope.id();
    }
}
