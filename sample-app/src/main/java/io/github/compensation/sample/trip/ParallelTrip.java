package io.github.compensation.sample.trip;

/**
 * A trip booked by {@code POST /parallel-trips}, as stored in the {@code parallel_trips} table.
 *
 * @param id                database id
 * @param bookingRef        unique booking reference
 * @param customer          who travels
 * @param destination       where to
 * @param flightReservation the reference at the flights partner
 * @param hotelReservation  the reference at the hotels partner
 * @param carReservation    the reference at the cars partner
 * @param scope             id of the compensation scope that booked it, to look up in {@code GET /reports/{id}}
 */
public record ParallelTrip(long id, String bookingRef, String customer, String destination, String flightReservation,
                           String hotelReservation, String carReservation, String scope) {
}
