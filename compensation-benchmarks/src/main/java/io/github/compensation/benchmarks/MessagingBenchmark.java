package io.github.compensation.benchmarks;

import io.github.compensation.DispatchAfterCommit;
import io.github.compensation.amqp.RabbitMessageTransport;
import io.github.compensation.messaging.Destination;
import io.github.compensation.messaging.Message;
import io.github.compensation.messaging.MessageDispatcher;
import io.github.compensation.messaging.MessageHeaders;
import io.github.compensation.messaging.MessageTransport;
import io.github.compensation.messaging.OutgoingMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Case 8: messages per second from commit to broker acknowledgement, on a real RabbitMQ (localhost:5672, publisher
 * confirms) and embedded PostgreSQL.
 *
 * <p>Each invocation is {@value #MESSAGES} business transactions run by {@value #PRODUCERS} threads (the
 * application's request threads); each transaction inserts one order and sends one message about it (key: one of
 * {@value #KEYS} keys, in turn). The invocation ends when the broker has acknowledged all {@value #MESSAGES}
 * (publisher confirm, message routed to the queue); the score is time per message, its inverse the acknowledged
 * messages per second. {@link CommitToAck} stamps each message when its transaction commits (a transaction
 * synchronization ordered first) and when its confirm arrives; the p50 and p99 of that latency over the measured
 * iterations go to {@value CommitToAck#FILE}. Every variant sends through the same kind of {@link RabbitTemplate}
 * ({@link BenchmarkBroker}) the same kind of message: the order as JSON through a Jackson {@code JsonMapper},
 * persistent, to a durable queue nobody consumes (emptied between iterations, and checked to hold {@value #MESSAGES}
 * messages after each one).
 *
 * <ul>
 * <li>{@link #compensationAfterCommit(AfterCommit)}: ours without the journal, {@code MessageDispatcher.send} in a
 * {@code @DispatchAfterCommit @Transactional} method; after commit the dispatch command sends the message and waits
 * for the confirm on the committing thread. Nothing durable.</li>
 * <li>{@link #compensationOutbox(Outbox)}: ours with the journal ({@code compensation.journal.enabled=true}, same
 * service code): the message is an outbox row written in the business transaction; it is delivered right after
 * commit by the committing scope unless an earlier message of its key is unfinished, and otherwise by the journal's
 * worker, {@code workers} threads (1 or 4, {@code compensation.journal.dispatch.workers}), which start a batch of
 * sends before waiting for their confirms; each message is ordered after the previous one of its key. Rows are marked
 * done once confirmed.</li>
 * <li>{@link #modulithRegistry(ModulithRegistry)}: what a Spring Modulith user has: Spring Modulith 2.1.1's JDBC event
 * publication registry, the order's event published in the transaction (stored as a publication with it), and a
 * {@code @TransactionalEventListener} that sends through the template and waits for the confirm, so that the
 * publication is marked completed only once the broker has the message; the listener runs after commit on the
 * committing thread.</li>
 * <li>{@link #modulithRegistryAsync(ModulithRegistryAsync)}: the same with Modulith's recommended
 * {@code @ApplicationModuleListener} (asynchronous, on Spring Boot's task executor of 8 threads, in a transaction of
 * its own).</li>
 * <li>{@link #plainListener(PlainListener)}: the upper bound, no durability: a plain
 * {@code @TransactionalEventListener} that sends after commit and does not wait for the confirm.</li>
 * </ul>
 * Each variant has its own Spring Boot context, embedded PostgreSQL and connection to RabbitMQ, started in
 * {@code @Setup(Level.Trial)}; the orders (and publications, outbox rows) of an iteration are deleted after it.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class MessagingBenchmark {

    /** Business transactions, each sending one message, per invocation. */
    public static final int MESSAGES = 2000;

    /** Threads running the business transactions. */
    public static final int PRODUCERS = 4;

    /** Distinct message keys. */
    public static final int KEYS = 100;

    /** The header that carries a message's number through our dispatcher to the transport. */
    static final String NUMBER_HEADER = "benchmark-message";

    /** What every variant has: the database, the broker, its context, the producer threads and the clock. */
    public abstract static class Variant {

        EmbeddedDatabase database;
        BenchmarkBroker broker;
        ConfigurableApplicationContext context;
        JdbcTemplate jdbc;
        Orders orders;
        final CommitToAck clock = new CommitToAck(MESSAGES);
        private ExecutorService producers;
        private String label;
        private boolean measured;
        private long[] statisticsBefore = new long[3];
        private long sent;

        /** @return the application class of this variant */
        abstract Class<?> application();

        /** @return properties of this variant, after the common ones */
        abstract List<String> properties();

        /**
         * Waits until the variant's own bookkeeping of the invocation is done (publications completed, outbox rows
         * done), then deletes it; not measured.
         *
         * @throws InterruptedException when interrupted
         */
        void settle() throws InterruptedException {
        }

        /** @return the class of the {@link MessageDispatcher} this variant must run with, or {@code null} for none */
        @Nullable String dispatcher() {
            return null;
        }

        /**
         * Starts embedded PostgreSQL, connects to RabbitMQ and starts the context.
         *
         * @param params the benchmark, for the label of the latency line
         */
        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            StringBuilder name = new StringBuilder(params.getBenchmark().substring(
                    params.getBenchmark().lastIndexOf('.') + 1));
            for (String key : params.getParamsKeys()) {
                name.append(' ').append(key).append('=').append(params.getParam(key));
            }
            label = name.toString();
            database = EmbeddedDatabase.start(2);
            new JdbcTemplate(database.pool()).execute("create table orders (id bigserial primary key,"
                    + " item varchar(100) not null, quantity int not null)");
            broker = BenchmarkBroker.connect();
            List<String> properties = new ArrayList<>(List.of("spring.datasource.url=" + database.url(),
                    "spring.datasource.username=postgres", "spring.datasource.password=postgres",
                    "spring.datasource.hikari.maximum-pool-size=16", "spring.main.banner-mode=off",
                    "logging.level.root=WARN"));
            properties.addAll(properties());
            context = new SpringApplicationBuilder(application())
                    .web(WebApplicationType.NONE)
                    .initializers(starting -> {
                        starting.getBeanFactory().registerSingleton("rabbitTemplate", broker.template());
                        starting.getBeanFactory().registerSingleton("commitToAck", clock);
                    })
                    .properties(properties.toArray(String[]::new))
                    .run();
            jdbc = context.getBean(JdbcTemplate.class);
            orders = context.getBean(Orders.class);
            String dispatcher = context.getBeanProvider(MessageDispatcher.class).stream()
                    .map(bean -> bean.getClass().getSimpleName()).findFirst().orElse(null);
            if (!java.util.Objects.equals(dispatcher, dispatcher())) {
                throw new IllegalStateException("the context's MessageDispatcher is " + dispatcher + ", not "
                        + dispatcher());
            }
            producers = Executors.newFixedThreadPool(PRODUCERS);
            statisticsBefore = statistics();
        }

        /** @return commits, rows inserted and rows updated in the database so far (published with a delay) */
        private long[] statistics() {
            return jdbc.queryForObject("select xact_commit, tup_inserted, tup_updated from pg_stat_database"
                    + " where datname = current_database()", (row, index) -> new long[] {row.getLong(1),
                    row.getLong(2), row.getLong(3)});
        }

        /**
         * Empties the queue and the clock.
         *
         * @param iteration whether the coming iteration is measured
         */
        @Setup(Level.Iteration)
        public void clear(IterationParams iteration) {
            clock.reset();
            broker.purge();
            measured = iteration.getType() == IterationType.MEASUREMENT;
        }

        /**
         * Checks that the queue holds every message, keeps the latencies of a measured iteration, settles the
         * variant's bookkeeping and deletes the orders.
         *
         * @throws InterruptedException when interrupted
         */
        @TearDown(Level.Iteration)
        public void check() throws InterruptedException {
            long queued = broker.queued();
            if (queued != MESSAGES) {
                throw new IllegalStateException(queued + " messages in the queue, " + MESSAGES + " sent");
            }
            if (measured) {
                clock.keep();
            }
            settle();
            jdbc.update("delete from orders");
        }

        /**
         * Prints the database work per message, writes the latencies, closes the context, the broker and the database.
         *
         * @throws InterruptedException when interrupted
         */
        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            try {
                // PostgreSQL publishes pg_stat_database about every 500 ms: a report line, nothing waits on it
                Thread.sleep(1_000);
                long[] after = statistics();
                System.out.printf("%n[case 8, %s] per message: %.2f commits, %.2f rows inserted, %.2f rows updated"
                        + " (pg_stat_database)%n", label, (after[0] - statisticsBefore[0]) / (double) sent,
                        (after[1] - statisticsBefore[1]) / (double) sent, (after[2] - statisticsBefore[2]) / (double) sent);
                clock.write(Path.of(System.getProperty(BenchmarkMain.OUTPUT_PROPERTY, "target")), label);
            }
            finally {
                producers.shutdownNow();
                context.close();
                broker.close();
                database.close();
            }
        }

        int sendAll() throws Exception {
            AtomicInteger next = new AtomicInteger();
            List<Callable<Void>> work = new ArrayList<>(PRODUCERS);
            for (int i = 0; i < PRODUCERS; i++) {
                work.add(() -> {
                    for (int message = next.getAndIncrement(); message < MESSAGES; message = next.getAndIncrement()) {
                        orders.place(message);
                    }
                    return null;
                });
            }
            for (Future<Void> producer : producers.invokeAll(work)) {
                producer.get();
            }
            clock.await();
            sent += MESSAGES;
            return MESSAGES;
        }

        /** Waits (at most a minute) until a count query answers 0. */
        void awaitNone(String countQuery) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            Long left = jdbc.queryForObject(countQuery, Long.class);
            while (left != null && left > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(left + " left after a minute: " + countQuery);
                }
                Thread.sleep(10);
                left = jdbc.queryForObject(countQuery, Long.class);
            }
        }
    }

    private static final String WITHOUT_RABBIT_TRANSPORT =
            "io.github.compensation.amqp.autoconfigure.RabbitMessagingAutoConfiguration";

    private static final String WITHOUT_MODULITH_OR_RABBIT_TRANSPORT =
            EmbeddedDatabase.WITHOUT_MODULITH + "," + WITHOUT_RABBIT_TRANSPORT;

    /** Ours without the journal. */
    @State(Scope.Benchmark)
    public static class AfterCommit extends Variant {

        private static final String DISPATCHER = "AfterCommitMessageDispatcher";

        @Override
        Class<?> application() {
            return AfterCommitApp.class;
        }

        @Override
        String dispatcher() {
            return DISPATCHER;
        }

        @Override
        List<String> properties() {
            return List.of(WITHOUT_MODULITH_OR_RABBIT_TRANSPORT);
        }
    }

    /** Ours with the journal: the outbox, delivered by {@code workers} threads of the journal's worker. */
    @State(Scope.Benchmark)
    public static class Outbox extends Variant {

        private static final String DISPATCHER = "JournalMessageDispatcher";

        /** The journal's delivering threads ({@code compensation.journal.dispatch.workers}). */
        @Param({"1", "4"})
        public int workers;

        @Override
        Class<?> application() {
            return AfterCommitApp.class;
        }

        @Override
        String dispatcher() {
            return DISPATCHER;
        }

        @Override
        List<String> properties() {
            return List.of(WITHOUT_MODULITH_OR_RABBIT_TRANSPORT, "compensation.journal.enabled=true",
                    "compensation.journal.initialize-schema=true", "compensation.journal.dispatch.workers=" + workers);
        }

        @Override
        void settle() throws InterruptedException {
            awaitNone("select count(*) from compensation_command where status in ('PENDING', 'RUNNING')");
            Long notDone = jdbc.queryForObject("select count(*) from compensation_command where status <> 'DONE'",
                    Long.class);
            if (notDone == null || notDone != 0) {
                throw new IllegalStateException(notDone + " outbox rows not done");
            }
            jdbc.update("delete from compensation_command");
            jdbc.update("delete from compensation_marker");
            jdbc.update("delete from compensation_unit");
        }
    }

    /** Spring Modulith's registry with a synchronous listener. */
    @State(Scope.Benchmark)
    public static class ModulithRegistry extends Variant {

        @Override
        Class<?> application() {
            return ModulithApp.class;
        }

        @Override
        List<String> properties() {
            return List.of("spring.autoconfigure.exclude=" + WITHOUT_RABBIT_TRANSPORT,
                    "spring.modulith.events.jdbc.schema-initialization.enabled=true");
        }

        @Override
        void settle() throws InterruptedException {
            awaitNone("select count(*) from event_publication where completion_date is null");
            jdbc.update("delete from event_publication");
        }
    }

    /** Spring Modulith's registry with an {@code @ApplicationModuleListener}. */
    @State(Scope.Benchmark)
    public static class ModulithRegistryAsync extends ModulithRegistry {

        @Override
        Class<?> application() {
            return ModulithAsyncApp.class;
        }
    }

    /** A plain listener, no durability, not waiting for the confirm. */
    @State(Scope.Benchmark)
    public static class PlainListener extends Variant {

        @Override
        Class<?> application() {
            return PlainApp.class;
        }

        @Override
        List<String> properties() {
            return List.of(WITHOUT_MODULITH_OR_RABBIT_TRANSPORT);
        }
    }

    /**
     * @param variant ours, without the journal
     * @return messages acknowledged
     * @throws Exception when a send or a transaction fails
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public int compensationAfterCommit(AfterCommit variant) throws Exception {
        return variant.sendAll();
    }

    /**
     * @param variant ours, with the journal's outbox
     * @return messages acknowledged
     * @throws Exception when a send or a transaction fails
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public int compensationOutbox(Outbox variant) throws Exception {
        return variant.sendAll();
    }

    /**
     * @param variant Modulith's registry, synchronous listener
     * @return messages acknowledged
     * @throws Exception when a send or a transaction fails
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public int modulithRegistry(ModulithRegistry variant) throws Exception {
        return variant.sendAll();
    }

    /**
     * @param variant Modulith's registry, asynchronous listener
     * @return messages acknowledged
     * @throws Exception when a send or a transaction fails
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public int modulithRegistryAsync(ModulithRegistryAsync variant) throws Exception {
        return variant.sendAll();
    }

    /**
     * @param variant a plain listener without durability
     * @return messages acknowledged
     * @throws Exception when a send or a transaction fails
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public int plainListener(PlainListener variant) throws Exception {
        return variant.sendAll();
    }

    /**
     * The event and the payload of every message.
     *
     * @param message the message's number in its invocation
     * @param orderId the order
     * @param item    what was ordered
     */
    public record OrderPlaced(int message, long orderId, String item) {

        String key() {
            return "customer-" + (message % KEYS);
        }
    }

    /** The business transaction every variant runs: insert an order, say so. */
    public interface Orders {

        /** @param message the number of the message it sends */
        void place(int message);
    }

    /** Inserts the order and stamps the commit: the part every variant's transaction shares. */
    static OrderPlaced insert(JdbcTemplate jdbc, CommitToAck clock, int message) {
        String item = "item-" + message;
        Long id = jdbc.queryForObject("insert into orders (item, quantity) values (?, 1) returning id", Long.class,
                item);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public int getOrder() {
                return Ordered.HIGHEST_PRECEDENCE;
            }

            @Override
            public void afterCommit() {
                clock.committed(message);
            }
        });
        return new OrderPlaced(message, id == null ? 0 : id, item);
    }

    /** Ours: {@code MessageDispatcher.send}. */
    @Component
    public static class DispatchedOrders implements Orders {

        private final JdbcTemplate jdbc;
        private final CommitToAck clock;
        private final MessageDispatcher messages;

        DispatchedOrders(JdbcTemplate jdbc, CommitToAck clock, MessageDispatcher messages) {
            this.jdbc = jdbc;
            this.clock = clock;
            this.messages = messages;
        }

        @Override
        @DispatchAfterCommit
        @Transactional
        public void place(int message) {
            OrderPlaced placed = insert(jdbc, clock, message);
            messages.send(Message.of(Destination.rabbit(BenchmarkBroker.EXCHANGE, BenchmarkBroker.ROUTING_KEY),
                    placed.key(), placed).withHeader(NUMBER_HEADER, Integer.toString(message)));
        }
    }

    /** Spring's way: publish an event in the transaction. */
    @Component
    public static class PublishedOrders implements Orders {

        private final JdbcTemplate jdbc;
        private final CommitToAck clock;
        private final ApplicationEventPublisher events;

        PublishedOrders(JdbcTemplate jdbc, CommitToAck clock, ApplicationEventPublisher events) {
            this.jdbc = jdbc;
            this.clock = clock;
            this.events = events;
        }

        @Override
        @Transactional
        public void place(int message) {
            events.publishEvent(insert(jdbc, clock, message));
        }
    }

    /**
     * Our RabbitMQ transport, stamping each message's acknowledgement on the clock as its confirm arrives: the only
     * {@link MessageTransport} of our contexts (the auto-configured one is excluded).
     */
    public static final class StampingTransport implements MessageTransport {

        private final RabbitMessageTransport rabbit;
        private final CommitToAck clock;

        StampingTransport(RabbitTemplate template, CommitToAck clock) {
            this.rabbit = new RabbitMessageTransport(template);
            this.clock = clock;
        }

        @Override
        public String brokerName() {
            return rabbit.brokerName();
        }

        @Override
        public boolean supports(Destination destination) {
            return rabbit.supports(destination);
        }

        @Override
        public CompletableFuture<?> send(OutgoingMessage message) {
            int number = Integer.parseInt(message.headers().get(NUMBER_HEADER));
            CompletableFuture<Void> sent = rabbit.send(message);
            sent.whenComplete((ignored, failure) -> {
                if (failure == null) {
                    clock.acknowledged(number);
                }
                else {
                    clock.failed(failure);
                }
            });
            return sent;
        }
    }

    /** Defines the stamping transport. */
    @Configuration(proxyBeanMethods = false)
    public static class StampingTransportConfiguration {

        @Bean
        StampingTransport stampingTransport(RabbitTemplate rabbitTemplate, CommitToAck commitToAck) {
            return new StampingTransport(rabbitTemplate, commitToAck);
        }
    }

    /**
     * What a listener does to send the event: the same message as ours (JSON through a {@code JsonMapper},
     * persistent, an id and the payload type), with a correlation whose confirm is stamped on the clock.
     */
    @Component
    public static class DirectSender {

        private final RabbitTemplate template;
        private final CommitToAck clock;
        private final JsonMapper json;

        DirectSender(RabbitTemplate template, CommitToAck clock, ObjectProvider<JsonMapper> json) {
            this.template = template;
            this.clock = clock;
            this.json = json.getIfAvailable(() -> JsonMapper.builder().build());
        }

        /**
         * Sends the event.
         *
         * @param event the event
         * @return completes once confirmed and routed, exceptionally when not
         */
        CompletableFuture<Void> send(OrderPlaced event) {
            MessageProperties properties = new MessageProperties();
            properties.setContentType(MessageHeaders.JSON);
            properties.setContentEncoding(StandardCharsets.UTF_8.name());
            properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
            properties.setMessageId(UUID.randomUUID().toString());
            properties.setHeader("payload-type", OrderPlaced.class.getName());
            properties.setHeader("key", event.key());
            CorrelationData correlation = new CorrelationData(properties.getMessageId());
            template.send(BenchmarkBroker.EXCHANGE, BenchmarkBroker.ROUTING_KEY,
                    new org.springframework.amqp.core.Message(json.writeValueAsBytes(event), properties), correlation);
            CompletableFuture<Void> confirmed = correlation.getFuture().thenAccept(confirm -> {
                if (!confirm.ack() || correlation.getReturned() != null) {
                    throw new IllegalStateException("message " + event.message() + " not confirmed and routed: "
                            + confirm.reason() + ", returned " + correlation.getReturned());
                }
            });
            confirmed.whenComplete((ignored, failure) -> {
                if (failure == null) {
                    clock.acknowledged(event.message());
                }
                else {
                    clock.failed(failure);
                }
            });
            return confirmed;
        }

        /** Sends the event and waits for the confirm, failing when there is none within 10 s. */
        void sendAndWait(OrderPlaced event) throws Exception {
            send(event).get(10, TimeUnit.SECONDS);
        }
    }

    /** The upper bound: sends after commit, does not wait. */
    @Component
    public static class FireAndForgetListener {

        private final DirectSender sender;

        FireAndForgetListener(DirectSender sender) {
            this.sender = sender;
        }

        /** @param event the order */
        @TransactionalEventListener
        public void on(OrderPlaced event) {
            sender.send(event);
        }
    }

    /** Modulith, synchronous: the publication is completed when this returns, after the confirm. */
    @Component
    public static class ConfirmingListener {

        private final DirectSender sender;

        ConfirmingListener(DirectSender sender) {
            this.sender = sender;
        }

        /**
         * @param event the order
         * @throws Exception when the broker did not confirm: the publication stays incomplete
         */
        @TransactionalEventListener
        public void on(OrderPlaced event) throws Exception {
            sender.sendAndWait(event);
        }
    }

    /** Modulith, asynchronous ({@code @Async @Transactional(REQUIRES_NEW) @TransactionalEventListener}). */
    @Component
    public static class ConfirmingModuleListener {

        private final DirectSender sender;

        ConfirmingModuleListener(DirectSender sender) {
            this.sender = sender;
        }

        /**
         * @param event the order
         * @throws Exception when the broker did not confirm: the publication stays incomplete
         */
        @ApplicationModuleListener
        public void on(OrderPlaced event) throws Exception {
            sender.sendAndWait(event);
        }
    }

    /** Ours without the journal. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({DispatchedOrders.class, StampingTransportConfiguration.class})
    public static class AfterCommitApp {
    }

    /** The plain listener. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({PublishedOrders.class, DirectSender.class, FireAndForgetListener.class})
    public static class PlainApp {
    }

    /** Modulith's registry, synchronous listener. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({PublishedOrders.class, DirectSender.class, ConfirmingListener.class})
    public static class ModulithApp {
    }

    /** Modulith's registry, asynchronous listener. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableAsync
    @Import({PublishedOrders.class, DirectSender.class, ConfirmingModuleListener.class})
    public static class ModulithAsyncApp {
    }
}
