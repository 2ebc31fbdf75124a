package io.github.compensation.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.compensation.sample.report.ReportView;
import io.github.compensation.sample.report.ReportView.CommandView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.jdbc.Sql;

/**
 * {@code POST /batch/suspend-overdue} over real HTTP, on the seed data: four overdue customers, of whom Davi (4) cannot
 * be suspended because his invoice is already at the last dunning level. One transaction per customer: Davi's rolls
 * back alone (his customer row, updated first, too), an alert row is committed for him, and the job carries on.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Sql({"/schema.sql", "/data.sql"})
class SuspendOverdueBatchEndToEndTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    JdbcClient jdbc;

    SampleHttp http;

    @BeforeEach
    void setUp() {
        http = new SampleHttp(port);
    }

    @Test
    void oneFailingCustomerRollsBackAlone_othersSuspended_oneAlertCommittedByItsCompensation_R1_D4_T1() {
        ResponseEntity<Map<String, Object>> response = http.post("/batch/suspend-overdue");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).containsEntry("overdue", 4).containsEntry("suspended", List.of(1, 2, 5));
        assertThat(response.getBody().get("failed")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.list(Map.class))
                .singleElement()
                .satisfies(failure -> assertThat(failure).containsEntry("customerId", 4)
                        .containsEntry("errorType", "org.springframework.dao.DataIntegrityViolationException"));

        assertThat(customerStatuses()).containsExactly(tuple(1L, "SUSPENDED"), tuple(2L, "SUSPENDED"),
                tuple(3L, "ACTIVE"), tuple(4L, "ACTIVE"), tuple(5L, "SUSPENDED"));
        assertThat(invoices()).containsExactly(
                tuple(101L, "SUSPENDED", 1), tuple(102L, "SUSPENDED", 2), tuple(103L, "OPEN", 0),
                tuple(104L, "OPEN", 0), tuple(105L, "OPEN", 3), tuple(106L, "SUSPENDED", 1));

        List<Map<String, Object>> alerts = jdbc.sql("select * from alerts order by id").query().listOfRows();
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.get("CONTEXT")).isEqualTo("Suspending customer 4 (Davi Rocha)");
            assertThat(alert.get("ERROR_TYPE")).isEqualTo("org.springframework.dao.DataIntegrityViolationException");
            assertThat(((String) alert.get("MESSAGE")).toLowerCase()).contains("invoices_dunning_level_max");
        });

        ReportView failed = http.report((String) alerts.get(0).get("SCOPE_ID"));
        assertThat(failed.name()).isEqualTo("CustomerSuspension.suspend");
        assertThat(failed.outcome()).isEqualTo("ROLLED_BACK");
        assertThat(failed.commands()).extracting(CommandView::description, CommandView::status)
                .containsExactly(tuple("record alert: Suspending customer 4 (Davi Rocha)", "DONE"));
    }

    @Test
    void suspendedCustomersAreNotTouchedAgain_theFailingOneIsRetriedAndAlertedAgain_R1() {
        http.post("/batch/suspend-overdue");

        ResponseEntity<Map<String, Object>> second = http.post("/batch/suspend-overdue");

        assertThat(second.getBody()).containsEntry("overdue", 1).containsEntry("suspended", List.of());
        assertThat(jdbc.sql("select count(*) from alerts").query(Integer.class).single()).isEqualTo(2);
        List<ReportView> reports = http.reports("CustomerSuspension.suspend");
        assertThat(reports.get(0).outcome()).isEqualTo("ROLLED_BACK");
        assertThat(reports.get(1).outcome()).isEqualTo("COMMITTED");
        assertThat(reports.get(1).commands()).extracting(CommandView::status, CommandView::note)
                .containsExactly(tuple("DISCARDED", "not needed: committed"));
    }

    private List<org.assertj.core.groups.Tuple> customerStatuses() {
        return jdbc.sql("select id, status from customers order by id")
                .query((rs, row) -> tuple(rs.getLong("id"), rs.getString("status"))).list();
    }

    private List<org.assertj.core.groups.Tuple> invoices() {
        return jdbc.sql("select id, status, dunning_level from invoices order by id")
                .query((rs, row) -> tuple(rs.getLong("id"), rs.getString("status"), rs.getInt("dunning_level")))
                .list();
    }
}
