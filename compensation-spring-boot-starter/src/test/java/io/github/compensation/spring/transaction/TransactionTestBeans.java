package io.github.compensation.spring.transaction;

import io.github.compensation.DispatchCommands;
import io.github.compensation.RollbackCommands;
import io.github.compensation.spring.testsupport.Journal;
import io.github.compensation.spring.testsupport.RecordingScopeListener;
import org.springframework.context.annotation.Bean;

/**
 * The beans every transaction test context has, whatever writes the rows: imported by the test applications, which
 * add a {@link BookingStore}.
 */
class TransactionTestBeans {

    @Bean
    Journal journal() {
        return new Journal();
    }

    @Bean
    RecordingScopeListener recordingScopeListener() {
        return new RecordingScopeListener();
    }

    @Bean
    Bookings bookings(BookingStore store, RollbackCommands rollback, DispatchCommands dispatch, Journal journal) {
        return new Bookings(store, rollback, dispatch, journal);
    }

    @Bean
    TripPlanner tripPlanner(Bookings bookings, BookingStore store, RollbackCommands rollback,
            DispatchCommands dispatch, Journal journal) {
        return new TripPlanner(bookings, store, rollback, dispatch, journal);
    }
}
