package io.github.compensation.journal.autoconfigure;

import io.github.compensation.journal.CommandHandlerRegistry;
import io.github.compensation.journal.CommandResolver;
import io.github.compensation.journal.Dialect;
import io.github.compensation.journal.DurableDispatchCommands;
import io.github.compensation.journal.DurableRollbackCommands;
import io.github.compensation.journal.Journal;
import io.github.compensation.journal.JournalCommands;
import io.github.compensation.journal.JournalRepository;
import io.github.compensation.journal.JournalSchema;
import io.github.compensation.journal.JournalScopeStore;
import io.github.compensation.journal.JournalSettings;
import io.github.compensation.journal.JournalSettingsCustomizer;
import io.github.compensation.journal.JournalStore;
import io.github.compensation.journal.JournalWorker;
import io.github.compensation.journal.JsonCodec;
import io.github.compensation.journal.aot.JournalRuntimeHints;
import io.github.compensation.store.ScopeStore;
import java.time.Clock;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Role;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configures the journal when {@code compensation.journal.enabled=true} and the application has a
 * {@link DataSource}: durable {@code RollbackCommands} and {@code DispatchCommands} (replacing the in-memory ones, which
 * back off), the journal itself (registered as a scope listener), optional schema creation, the background
 * worker, and a {@link JournalScopeStore} as the application's {@link ScopeStore}, so that the {@code compensations}
 * endpoint and the attention gauges show the journal's durable state (the in-memory store backs off). Every bean
 * backs off when the application defines its own.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration"},
        beforeName = {"io.github.compensation.spring.autoconfigure.CompensationAutoConfiguration",
                "io.github.compensation.spring.autoconfigure.CompensationHistoryAutoConfiguration"})
@ConditionalOnBooleanProperty("compensation.journal.enabled")
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(JournalProperties.class)
@ImportRuntimeHints(JournalRuntimeHints.class)
public final class JournalAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CommandHandlerRegistry compensationCommandHandlerRegistry() {
        return new CommandHandlerRegistry();
    }

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static JsonCodec compensationJournalJsonCodec(ObjectProvider<JsonMapper> mappers) {
        JsonMapper application = mappers.getIfUnique();
        return application == null ? new JsonCodec() : JsonCodec.basedOn(application);
    }

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CommandResolver compensationCommandResolver(BeanFactory beanFactory, CommandHandlerRegistry handlers,
            JsonCodec codec) {
        return new CommandResolver(beanFactory, handlers, codec);
    }

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static JournalRepository compensationJournalStore(DataSource dataSource, JournalProperties properties) {
        Dialect dialect = properties.dialect() != null ? properties.dialect() : Dialect.detect(dataSource);
        if (properties.initializeSchema()) {
            JournalSchema.initialize(dataSource, dialect, properties.tablePrefix());
        }
        return new JournalStore(dataSource, dialect, properties.tablePrefix());
    }

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Journal compensationJournal(JournalRepository store, CommandResolver resolver,
            JournalProperties properties, ObjectProvider<JournalSettingsCustomizer> customizers) {
        String generated = "instance-" + UUID.randomUUID().toString().substring(0, 8);
        JournalSettings settings = properties.toSettings(generated);
        for (JournalSettingsCustomizer customizer : customizers.orderedStream().toList()) {
            settings = java.util.Objects.requireNonNullElse(customizer.customize(settings), settings);
        }
        return new Journal(store, resolver, settings, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    static DurableRollbackCommands durableRollbackCommands(Journal journal) {
        return JournalCommands.rollback(journal);
    }

    @Bean
    @ConditionalOnMissingBean
    static DurableDispatchCommands durableDispatchCommands(Journal journal) {
        return JournalCommands.dispatch(journal);
    }

    @Bean
    @ConditionalOnMissingBean(ScopeStore.class)
    static JournalScopeStore compensationJournalScopeStore(Journal journal) {
        return new JournalScopeStore(journal, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static JournalWorker compensationJournalWorker(Journal journal, JournalProperties properties) {
        return new JournalWorker(journal, properties.retention(), properties.worker(),
                properties.dispatch().workers());
    }
}
