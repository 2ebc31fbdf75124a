package io.github.compensation.spring.transaction;

/**
 * Where the test beans write: through {@code JdbcTemplate} in the JDBC contexts, through Spring Data JPA
 * repositories in the JPA contexts. Each call joins the transaction bound to the thread, if any.
 */
public interface BookingStore {

    void insertBooking(int id, String code);

    void insertAudit(String note);

    /** Rows with this id visible to the caller: in its transaction if one is bound, else what is committed. */
    int countBookings(int id);
}
