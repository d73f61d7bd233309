package io.streamgate.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Builds Kafka records that carry a CloudEvent in binary mode: the attributes go into {@code ce_*} headers, the
 * {@code data} is the record value as compact JSON, and {@code content-type} says so.
 *
 * <p>Headers, all UTF-8: {@code ce_specversion=1.0}, {@code ce_id}, {@code ce_source}, {@code ce_type},
 * {@code ce_time} (ISO-8601 instant, UTC), {@code content-type=application/json}. The record key is the UTF-8
 * bytes of the given key; no partition is chosen, so the default partitioner keeps one key on one partition.
 * Stateless and thread-safe.
 */
final class CloudEventRecords {
    static final String SPEC_VERSION = "1.0";
    static final String CONTENT_TYPE = "application/json";

    // ObjectMapper is thread-safe once configured; one instance avoids re-building its serializer caches.
    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudEventRecords() {
    }

    /** A record for an event that happens now, with a fresh random {@code ce_id}. */
    static ProducerRecord<byte[], byte[]> of(String topic, String key, String type, String source, Object data) {
        return of(topic, key, type, source, data, UUID.randomUUID().toString(), Instant.now());
    }

    /**
     * A record with every attribute given, so the result depends on the arguments alone.
     *
     * @throws IllegalArgumentException when {@code data} cannot be written as JSON
     */
    static ProducerRecord<byte[], byte[]> of(String topic, String key, String type, String source, Object data,
                                             String id, Instant time) {
        Objects.requireNonNull(topic, "topic");
        List<Header> headers = List.of(
                header("ce_specversion", SPEC_VERSION),
                header("ce_id", Objects.requireNonNull(id, "id")),
                header("ce_source", Objects.requireNonNull(source, "source")),
                header("ce_type", Objects.requireNonNull(type, "type")),
                header("ce_time", DateTimeFormatter.ISO_INSTANT.format(time)),
                header("content-type", CONTENT_TYPE));
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, keyBytes, json(data), headers);
    }

    /** The compact JSON form of {@code data}, as written into the record value. */
    static byte[] json(Object data) {
        try {
            return JSON.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            // Only a programming error gets here (data types are our own records), so fail loudly.
            throw new IllegalArgumentException("event data is not serialisable as JSON: " + data, e);
        }
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
