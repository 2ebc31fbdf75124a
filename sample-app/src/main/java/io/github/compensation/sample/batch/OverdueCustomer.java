package io.github.compensation.sample.batch;

/**
 * An active customer with at least one unpaid invoice past its due date.
 *
 * @param id   customer id
 * @param name customer name
 */
public record OverdueCustomer(long id, String name) {
}
