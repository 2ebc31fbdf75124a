package io.github.compensation.sample.trip;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /trips} books; {@code GET /trips} and {@code GET /notifications} show what the database holds. */
@RestController
class TripController {

    private final TripService service;
    private final TripRepository trips;
    private final TripNotifications notifications;

    TripController(TripService service, TripRepository trips, TripNotifications notifications) {
        this.service = service;
        this.trips = trips;
        this.notifications = notifications;
    }

    @PostMapping("/trips")
    ResponseEntity<Trip> book(@RequestBody TripRequest request) {
        Trip trip = service.book(request);
        return ResponseEntity.created(URI.create("/trips/" + trip.bookingRef())).body(trip);
    }

    @GetMapping("/trips")
    List<Trip> trips() {
        return trips.findAll();
    }

    @GetMapping("/trips/{bookingRef}")
    Trip trip(@PathVariable String bookingRef) {
        return trips.findByBookingRef(bookingRef).orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND,
                ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No trip " + bookingRef), null));
    }

    @GetMapping("/notifications")
    List<Notification> notifications() {
        return notifications.findAll();
    }
}
