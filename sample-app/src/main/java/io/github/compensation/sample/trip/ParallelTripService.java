package io.github.compensation.sample.trip;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.RollbackOnceFailed;
import io.github.compensation.sample.partner.FailureMode;
import io.github.compensation.sample.partner.ReservationRequest;
import io.github.compensation.spi.CompensationScope;
import io.github.compensation.support.Compensations;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Books a trip by reserving a flight, a hotel and a car at the same time, then stores it and announces it.
 *
 * <p>The pattern (clauses A1 and A3): the method returns a {@code CompletableFuture}, so its scope settles when the
 * booking has really ended, not when the method returns. The three reservations run concurrently on other threads,
 * each carrying the scope explicitly ({@code Compensations.wrap}), and each registers its own undo once it succeeded.
 * The database transaction opens only after all three partners answered, so no pooled connection is held while remote
 * calls are in flight. If any reservation fails, or storing the trip fails, the undos of those that succeeded run in
 * parallel ({@code parallel = true}), and the caller's future fails with the original exception. The
 * {@link TripBooked} event is dispatched only once everything succeeded.
 */
@Service
public class ParallelTripService {

    private final PartnerClient flights;
    private final PartnerClient hotels;
    private final PartnerClient cars;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final RollbackCommands rollback;
    private final DispatchCommands dispatch;
    private final SimpleAsyncTaskExecutor partnerCalls = new SimpleAsyncTaskExecutor("partner-call-");

    ParallelTripService(@Qualifier("flights") PartnerClient flights, @Qualifier("hotels") PartnerClient hotels,
            @Qualifier("cars") PartnerClient cars, JdbcClient jdbc, TransactionTemplate transactions,
            ApplicationEventPublisher events, RollbackCommands rollback, DispatchCommands dispatch) {
        this.flights = flights;
        this.hotels = hotels;
        this.cars = cars;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
        this.rollback = rollback;
        this.dispatch = dispatch;
    }

    @RollbackOnceFailed(parallel = true)
    @DispatchAfterCommit
    public CompletableFuture<ParallelTrip> book(ParallelTripRequest request) {
        request.validate();
        String bookingRef = request.bookingRef() != null ? request.bookingRef()
                : "TRIP-" + UUID.randomUUID().toString().substring(0, 8);
        ParallelTripRequest.Failures fail = request.failures();

        CompletableFuture<String> flight = reserve(flights, "cancel flight", request, bookingRef,
                "flight to " + request.destination(), fail.flights());
        CompletableFuture<String> hotel = reserve(hotels, "cancel hotel", request, bookingRef,
                "hotel in " + request.destination(), fail.hotels());
        CompletableFuture<String> car = reserve(cars, "cancel car", request, bookingRef,
                "car in " + request.destination(), fail.cars());

        Supplier<ParallelTrip> store = Compensations.wrapSupplier(() -> store(request, bookingRef, flight.join(),
                hotel.join(), car.join()));
        return CompletableFuture.allOf(flight, hotel, car).thenApplyAsync(allReserved -> store.get(), partnerCalls);
    }

    /**
     * Reserves at one partner on its own thread, carrying the scope there, and registers the undo once the
     * reservation succeeded (or may have: a lost reply is undone by reference).
     */
    private CompletableFuture<String> reserve(PartnerClient partner, String undo, ParallelTripRequest trip,
            String bookingRef, String details, @Nullable FailureMode simulate) {
        String reference = partner.newReference();
        ReservationRequest request = new ReservationRequest(bookingRef, trip.customer(), details,
                trip.amountOrDefault(), simulate);
        Runnable call = Compensations.wrap(() -> {
            try {
                partner.reserve(reference, request);
            }
            catch (PartnerTimeoutException replyLost) {
                rollback.append(undo + " " + reference + " (reply timed out)", () -> partner.cancelIfExists(reference));
                throw replyLost;
            }
            rollback.append(undo + " " + reference, () -> partner.cancel(reference));
        });
        return CompletableFuture.runAsync(call, partnerCalls).thenApply(reserved -> reference);
    }

    /** Stores the trip in a short transaction of its own, opened once all partners answered, and queues the event. */
    private ParallelTrip store(ParallelTripRequest request, String bookingRef, String flight, String hotel,
            String car) {
        long id = Objects.requireNonNull(transactions.execute(status -> {
            KeyHolder keys = new GeneratedKeyHolder();
            jdbc.sql("insert into parallel_trips (booking_ref, customer, destination, flight_reservation,"
                            + " hotel_reservation, car_reservation) values (?, ?, ?, ?, ?, ?)")
                    .params(bookingRef, request.customer(), request.destination(), flight, hotel, car)
                    .update(keys, "id");
            return Objects.requireNonNull(keys.getKey(), "generated id").longValue();
        }));
        TripBooked booked = new TripBooked(id, bookingRef, request.customer(), request.destination());
        dispatch.append("publish TripBooked " + bookingRef, () -> events.publishEvent(booked));
        CompensationScope scope = Objects.requireNonNull(Compensations.currentScope(), "the carried scope");
        return new ParallelTrip(id, bookingRef, request.customer(), request.destination(), flight, hotel, car,
                scope.id());
    }
}
