package io.github.compensation.sample.batch;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code customers} and {@code invoices} tables. */
@Repository
public class CustomerRepository {

    private final JdbcClient jdbc;

    CustomerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<OverdueCustomer> findOverdue() {
        return jdbc.sql("""
                select distinct c.id, c.name from customers c join invoices i on i.customer_id = c.id
                where c.status = 'ACTIVE' and i.paid = false and i.due_date < current_date
                order by c.id""")
                .query((rs, row) -> new OverdueCustomer(rs.getLong("id"), rs.getString("name")))
                .list();
    }

    void markSuspended(long customerId) {
        jdbc.sql("update customers set status = 'SUSPENDED' where id = ?").param(customerId).update();
    }

    /** Suspends the customer's overdue invoices and raises their dunning level; fails past the last level. */
    void escalateOverdueInvoices(long customerId) {
        jdbc.sql("update invoices set status = 'SUSPENDED', dunning_level = dunning_level + 1"
                        + " where customer_id = ? and paid = false and due_date < current_date")
                .param(customerId).update();
    }

    public List<Customer> findAll() {
        Map<Long, List<Customer.Invoice>> invoices = jdbc.sql("select * from invoices order by id")
                .query((rs, row) -> Map.entry(rs.getLong("customer_id"), new Customer.Invoice(rs.getLong("id"),
                        rs.getDate("due_date").toLocalDate(), rs.getBigDecimal("amount"), rs.getBoolean("paid"),
                        rs.getString("status"), rs.getInt("dunning_level"))))
                .list().stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return jdbc.sql("select * from customers order by id")
                .query((rs, row) -> new Customer(rs.getLong("id"), rs.getString("name"), rs.getString("status"),
                        invoices.getOrDefault(rs.getLong("id"), List.of())))
                .list();
    }
}
