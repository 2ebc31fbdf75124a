package io.github.compensation.sample.batch;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code alerts} table. */
@Repository
public class AlertRepository {

    private static final int MESSAGE_LENGTH = 2000;

    private final JdbcClient jdbc;

    AlertRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void record(String context, String errorType, String message, @Nullable String scopeId) {
        jdbc.sql("insert into alerts (context, error_type, message, scope_id) values (?, ?, ?, ?)")
                .params(context, errorType, message.length() > MESSAGE_LENGTH
                        ? message.substring(0, MESSAGE_LENGTH) : message, scopeId)
                .update();
    }

    public List<Alert> findAll() {
        return jdbc.sql("select * from alerts order by id")
                .query((rs, row) -> new Alert(rs.getLong("id"), rs.getString("context"), rs.getString("error_type"),
                        rs.getString("message"), rs.getString("scope_id"), rs.getTimestamp("created_at").toInstant()))
                .list();
    }
}
