package io.streamgate.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.streamgate.producer.DomainEvents;
import java.net.URI;

/**
 * How the demo shapes its domain events: the {@code data} is one of the emitters' records written as JSON (fields
 * in component order), and {@code dataschema} names version 1 of the type's schema under {@code schemas/}. The
 * version is pinned rather than "the latest" because the records were written against v1: a v2 must not change
 * what the demo claims to send without the records changing too. The key (the user, the deploy, the reply) is the
 * subject too. Thread-safe.
 */
final class DemoEvents {
    // ObjectMapper is thread-safe once configured; one instance avoids re-building its serializer caches.
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoEvents() {
    }

    /** An event of {@code type} about {@code key} from {@code source} that happens now, with a fresh random id. */
    static CloudEvent event(String type, String source, String key, Record data) {
        return DomainEvents.withKey(DomainEvents.builder(type, source, JSON.valueToTree(data)), key)
                .withSubject(key).withDataSchema(URI.create(schemaV1(type))).build();
    }

    /** The {@code $id} of version 1 of {@code type}'s schema, e.g. {@code urn:streamgate:schema:deploy.started:v1}. */
    static String schemaV1(String type) {
        return "urn:streamgate:schema:" + type + ":v1";
    }
}
