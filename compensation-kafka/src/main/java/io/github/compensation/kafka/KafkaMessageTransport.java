package io.github.compensation.kafka;

import io.github.compensation.messaging.Destination;
import io.github.compensation.messaging.MessageHeaders;
import io.github.compensation.messaging.MessageTransport;
import io.github.compensation.messaging.OutgoingMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.SendResult;

/**
 * Sends messages to Kafka topics (clause M1). It uses the producer settings of the application's
 * {@link KafkaTemplate} (servers, acks, security, transactions) with a producer of its own that writes the key as a
 * string and the payload as the JSON bytes it is given, whatever serializers the application's template has. The send
 * completes once the partition leader acknowledged the record, as the producer's {@code acks} asks: with Kafka's
 * default {@code acks=all}, once the in-sync replicas have it; {@code acks=0} is refused at startup, since it
 * acknowledges nothing.
 *
 * <p>The producer waits at most the send timeout ({@code max.block.ms}) for the broker's metadata, so that an
 * unreachable broker fails the send within that time instead of the client's default minute. The headers of
 * {@link MessageHeaders} travel as UTF-8 record headers, with {@code contentType: application/json}.
 *
 * <p>Thread-safe. Closes its producer when the application context closes.
 */
public final class KafkaMessageTransport implements MessageTransport, DisposableBean {

    /** The record header with the payload's content type. */
    public static final String CONTENT_TYPE_HEADER = "contentType";

    private final DefaultKafkaProducerFactory<String, byte[]> producerFactory;
    private final KafkaTemplate<String, byte[]> template;

    /**
     * A transport with the application's producer settings.
     *
     * @param applicationTemplate the application's template, whose producer factory's settings are used
     * @param sendTimeout         at most how long a send may block waiting for the broker's metadata
     * @throws IllegalStateException when the producer is configured with {@code acks=0} (E3)
     */
    public KafkaMessageTransport(KafkaTemplate<?, ?> applicationTemplate, Duration sendTimeout) {
        ProducerFactory<?, ?> applicationFactory = applicationTemplate.getProducerFactory();
        Map<String, Object> settings = new HashMap<>(applicationFactory.getConfigurationProperties());
        Object acks = settings.get(ProducerConfig.ACKS_CONFIG);
        if (acks != null && "0".equals(acks.toString().trim())) {
            throw new IllegalStateException("compensation-kafka counts a message as sent only once Kafka acknowledged"
                    + " it, and the producer is configured with acks=0, which acknowledges nothing: set"
                    + " spring.kafka.producer.acks=all (Kafka's default) or 1");
        }
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeout.toMillis());
        settings.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        settings.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        this.producerFactory = new DefaultKafkaProducerFactory<>(settings, new StringSerializer(),
                new ByteArraySerializer());
        String transactionIdPrefix = applicationFactory.getTransactionIdPrefix();
        if (transactionIdPrefix != null) {
            producerFactory.setTransactionIdPrefix(transactionIdPrefix + "compensation-");
        }
        this.template = new KafkaTemplate<>(producerFactory);
    }

    @Override
    public String brokerName() {
        return "Kafka";
    }

    @Override
    public boolean supports(Destination destination) {
        return destination instanceof Destination.KafkaTopic;
    }

    @Override
    public CompletableFuture<SendResult<String, byte[]>> send(OutgoingMessage message) {
        if (!(message.destination() instanceof Destination.KafkaTopic topic)) {
            throw new IllegalArgumentException("Not a Kafka destination: " + message.destination());
        }
        List<Header> headers = new ArrayList<>(message.headers().size() + 1);
        headers.add(new RecordHeader(CONTENT_TYPE_HEADER, MessageHeaders.JSON.getBytes(StandardCharsets.UTF_8)));
        message.headers().forEach((name, value) ->
                headers.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic.topic(), null, message.key(),
                message.payload(), headers);
        if (template.isTransactional()) {
            CompletableFuture<SendResult<String, byte[]>> sent =
                    template.executeInTransaction(operations -> operations.send(record));
            return Objects.requireNonNull(sent, "executeInTransaction returned no future");
        }
        return template.send(record);
    }

    @Override
    public void destroy() {
        producerFactory.destroy();
    }

    @Override
    public String toString() {
        return "KafkaMessageTransport" + producerFactory.getConfigurationProperties()
                .getOrDefault(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "");
    }
}
