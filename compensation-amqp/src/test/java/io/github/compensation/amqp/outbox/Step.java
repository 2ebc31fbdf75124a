package io.github.compensation.amqp.outbox;

/** The payload of the ordering test: the {@code n}-th message of a key. */
public record Step(String key, int n) {
}
