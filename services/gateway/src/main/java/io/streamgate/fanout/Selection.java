package io.streamgate.fanout;

import io.streamgate.resume.EventIdCodec;
import io.streamgate.sse.ControlEvents;
import io.streamgate.subscription.SubscribeRequest;
import io.streamgate.subscription.Until;
import java.util.Set;

/**
 * What one subscription delivers: the keys and types it asked for (empty: all) and the types that end it.
 * Immutable.
 */
record Selection(Set<String> keys, Set<String> types, Until until) {

    static Selection of(SubscribeRequest request) {
        return new Selection(request.keys(), request.types(), request.until().orElse(null));
    }

    /** Whether a record with this key and type (null type: {@code message}) is for this subscription. */
    boolean matches(String key, String type) {
        return (keys.isEmpty() || (key != null && keys.contains(key)))
                && (types.isEmpty() || types.contains(type == null ? "message" : type));
    }

    /** Whether it takes every event and never finishes: the stream's shared frames suit it as they are. */
    boolean all() {
        return keys.isEmpty() && types.isEmpty() && until == null;
    }

    /** Whether delivering an event of this type finishes the subscription ({@code until}). */
    boolean finishes(String type) {
        return until != null && until.endsWith(type);
    }

    /** {@code streamgate.end} after an until event whose id is {@code id}: its own id is the end id. */
    static byte[] endFrame(String type, String id) {
        return ControlEvents.end(EventIdCodec.endOf(id), type, id);
    }
}
