package io.github.compensation.sample.batch;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /batch/suspend-overdue} runs the job; {@code GET /customers} and {@code GET /alerts} show the result. */
@RestController
class BatchController {

    private final SuspendOverdueJob job;
    private final CustomerRepository customers;
    private final AlertRepository alerts;

    BatchController(SuspendOverdueJob job, CustomerRepository customers, AlertRepository alerts) {
        this.job = job;
        this.customers = customers;
        this.alerts = alerts;
    }

    @PostMapping("/batch/suspend-overdue")
    SuspendOverdueJob.Result suspendOverdue() {
        return job.run();
    }

    @GetMapping("/customers")
    List<Customer> customers() {
        return customers.findAll();
    }

    @GetMapping("/alerts")
    List<Alert> alerts() {
        return alerts.findAll();
    }
}
