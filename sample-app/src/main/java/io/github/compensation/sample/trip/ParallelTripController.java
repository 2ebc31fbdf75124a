package io.github.compensation.sample.trip;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /parallel-trips} books a flight, a hotel and a car at the same time. The response is written once the
 * booking's future completed, that is once its undos or its dispatch ran; Spring MVC frees the request thread
 * meanwhile.
 */
@RestController
class ParallelTripController {

    private final ParallelTripService service;

    ParallelTripController(ParallelTripService service) {
        this.service = service;
    }

    @PostMapping("/parallel-trips")
    CompletableFuture<ResponseEntity<ParallelTrip>> book(@RequestBody ParallelTripRequest request) {
        return service.book(request).thenApply(trip -> ResponseEntity
                .created(URI.create("/parallel-trips/" + trip.bookingRef())).body(trip));
    }
}
