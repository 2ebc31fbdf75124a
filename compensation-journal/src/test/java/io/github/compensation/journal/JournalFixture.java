package io.github.compensation.journal;

import io.github.compensation.spi.CommandRunner;
import io.github.compensation.support.CompensationTemplate;
import io.github.compensation.spring.transaction.SpringTransactionBridge;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One journal schema (its own table prefix) on one database, with beans to call, journals for several "instances",
 * and templates that settle normally or "crash" (their in-memory side is discarded: commands do not run and the
 * journal is not told).
 */
final class JournalFixture implements AutoCloseable {

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    final DataSource dataSource;
    final Dialect dialect;
    final String prefix;
    final DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
    final CommandHandlerRegistry handlers = new CommandHandlerRegistry();
    final DataSourceTransactionManager transactions;
    final TransactionTemplate tx;
    final JdbcTemplate jdbc;

    JournalFixture(DataSource dataSource) {
        this(dataSource, "j" + ProcessHandle.current().pid() + "_" + PREFIXES.incrementAndGet() + "_");
    }

    JournalFixture(DataSource dataSource, String prefix) {
        this.dataSource = dataSource;
        this.dialect = Dialect.detect(dataSource);
        this.prefix = prefix;
        JournalSchema.initialize(dataSource, dialect, prefix);
        this.transactions = new DataSourceTransactionManager(dataSource);
        this.tx = new TransactionTemplate(transactions);
        this.jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("create table if not exists " + prefix + "business (id varchar(64) primary key)");
    }

    void bean(String name, Object bean) {
        beans.registerSingleton(name, bean);
    }

    JournalSettings settings(String instanceId) {
        return JournalSettings.defaults(instanceId).withTablePrefix(prefix)
                .withBackoff(Duration.ZERO, 1.0, Duration.ZERO);
    }

    Journal journal(String instanceId) {
        return journal(instanceId, Clock.systemUTC(), UnaryOperator.identity());
    }

    Journal journal(String instanceId, Clock clock, UnaryOperator<JournalSettings> customize) {
        return new Journal(new JournalStore(dataSource, dialect, prefix),
                new CommandResolver(beans, handlers, new JsonCodec()), customize.apply(settings(instanceId)), clock);
    }

    /** A journal whose clock runs far ahead, so that every lease of the other instances has expired. */
    Journal recoverer(String instanceId) {
        return journal(instanceId, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)), UnaryOperator.identity());
    }

    CompensationTemplate template(Journal journal) {
        return CompensationTemplate.builder().transactionBridge(new SpringTransactionBridge())
                .listeners(List.of(journal)).build();
    }

    /** The instance "dies" at the end of the scope: no command runs, the journal learns nothing. */
    static CompensationTemplate crashingTemplate() {
        CommandRunner nothing = (command, retry) -> new CommandRunner.Attempts(1, null);
        return CompensationTemplate.builder().transactionBridge(new SpringTransactionBridge()).commandRunner(nothing)
                .listeners(List.of()).build();
    }

    int count(String table, String where, Object... args) {
        Integer count = jdbc.queryForObject("select count(*) from " + prefix + table
                + (where.isEmpty() ? "" : " where " + where), Integer.class, args);
        return count == null ? 0 : count;
    }

    String unitState(String unitIdWhere) {
        return jdbc.queryForObject("select state from " + prefix + "unit where " + unitIdWhere, String.class);
    }

    @Override
    public void close() {
        for (String table : List.of("business", "command", "marker", "unit", "note")) {
            jdbc.execute("drop table if exists " + prefix + table);
        }
    }
}
