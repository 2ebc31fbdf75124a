package io.github.compensation.sample.trip;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** The {@code trips} table. */
@Repository
public class TripRepository {

    private static final RowMapper<Trip> TRIP = (rs, row) -> new Trip(rs.getLong("id"), rs.getString("booking_ref"),
            rs.getString("customer"), rs.getString("destination"), rs.getBigDecimal("amount"),
            rs.getString("flight_reservation"), rs.getString("hotel_reservation"),
            rs.getString("payment_reservation"), rs.getTimestamp("booked_at").toInstant(), null);

    private final JdbcClient jdbc;

    TripRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores a trip. The booking reference is unique: a duplicate fails here on H2, or at commit on PostgreSQL where
     * the constraint is deferred.
     *
     * @return the new trip's id
     */
    long insert(String bookingRef, String customer, String destination, BigDecimal amount, String flight,
            String hotel, String payment) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("insert into trips (booking_ref, customer, destination, amount, flight_reservation,"
                        + " hotel_reservation, payment_reservation) values (?, ?, ?, ?, ?, ?, ?)")
                .params(bookingRef, customer, destination, amount, flight, hotel, payment)
                .update(keys, "id");
        return Objects.requireNonNull(keys.getKey(), "generated id").longValue();
    }

    public List<Trip> findAll() {
        return jdbc.sql("select * from trips order by id").query(TRIP).list();
    }

    public Optional<Trip> findByBookingRef(String bookingRef) {
        return jdbc.sql("select * from trips where booking_ref = ?").param(bookingRef).query(TRIP).optional();
    }
}
