package io.github.compensation.spring.transaction;

/** The business failure thrown by the test beans. */
public class BookingFailed extends RuntimeException {

    public BookingFailed(String message) {
        super(message);
    }
}
