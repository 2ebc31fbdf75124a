package io.github.compensation.sample.batch;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * A customer with their invoices, as {@code GET /customers} shows them.
 *
 * @param id       customer id
 * @param name     name
 * @param status   ACTIVE or SUSPENDED
 * @param invoices every invoice
 */
public record Customer(long id, String name, String status, List<Invoice> invoices) {

    /**
     * @param id           invoice id
     * @param dueDate      due date
     * @param amount       amount
     * @param paid         whether it is paid
     * @param status       OPEN or SUSPENDED
     * @param dunningLevel how many times it was escalated (at most 3)
     */
    public record Invoice(long id, LocalDate dueDate, BigDecimal amount, boolean paid, String status,
                          int dunningLevel) {
    }
}
