package io.github.compensation.spring.transaction.jpa;

import io.github.compensation.spring.transaction.BookingStore;
import java.util.UUID;

/**
 * Writes through Spring Data JPA repositories (Hibernate): each call joins the JPA transaction bound to the thread,
 * or runs in a transaction of its own.
 */
public class JpaBookingStore implements BookingStore {

    private final BookingRepository bookings;
    private final AuditRepository audits;

    public JpaBookingStore(BookingRepository bookings, AuditRepository audits) {
        this.bookings = bookings;
        this.audits = audits;
    }

    @Override
    public void insertBooking(int id, String code) {
        bookings.save(new BookingRow(id, code));
    }

    @Override
    public void insertAudit(String note) {
        audits.save(new AuditRow(UUID.randomUUID().toString(), note));
    }

    @Override
    public int countBookings(int id) {
        return bookings.existsById(id) ? 1 : 0;
    }
}
