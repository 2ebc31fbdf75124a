package io.github.compensation.sample.trip;

import io.github.compensation.DispatchCommands;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/** The default: publishes {@link TripBooked} as a Spring application event after commit; {@link TripNotifications} listens. */
@Component
@Profile("!rabbit")
class InProcessTripAnnouncer implements TripAnnouncer {

    private final DispatchCommands dispatch;
    private final ApplicationEventPublisher events;

    InProcessTripAnnouncer(DispatchCommands dispatch, ApplicationEventPublisher events) {
        this.dispatch = dispatch;
        this.events = events;
    }

    @Override
    public void announceAfterCommit(TripBooked booked) {
        dispatch.append("publish TripBooked " + booked.bookingRef(), () -> events.publishEvent(booked));
    }
}
