package io.github.compensation.spring.transaction;

import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** Writes through {@link JdbcTemplate}. */
public class JdbcBookingStore implements BookingStore {

    private final JdbcTemplate jdbc;

    public JdbcBookingStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insertBooking(int id, String code) {
        jdbc.update("insert into booking (id, code) values (?, ?)", id, code);
    }

    @Override
    public void insertAudit(String note) {
        jdbc.update("insert into audit (id, note) values (?, ?)", UUID.randomUUID().toString(), note);
    }

    @Override
    public int countBookings(int id) {
        Integer count = jdbc.queryForObject("select count(*) from booking where id = ?", Integer.class, id);
        return count == null ? 0 : count;
    }
}
