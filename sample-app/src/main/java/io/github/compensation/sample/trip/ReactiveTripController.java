package io.github.compensation.sample.trip;

import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /reactive-trips}: the parallel booking written with {@code WebClient} and R2DBC. Spring MVC subscribes
 * to the returned {@code Mono} and writes the response once it completed, that is once the undos or the dispatch ran.
 */
@RestController
class ReactiveTripController {

    private final ReactiveTripService service;

    ReactiveTripController(ReactiveTripService service) {
        this.service = service;
    }

    @PostMapping("/reactive-trips")
    Mono<ResponseEntity<ParallelTrip>> book(@RequestBody ParallelTripRequest request) {
        return service.book(request).map(trip -> ResponseEntity
                .created(URI.create("/reactive-trips/" + trip.bookingRef())).body(trip));
    }
}
