package io.streamgate.config;

import java.util.Optional;

/**
 * A stream's access rules: who may subscribe, who may publish, and — for key-scoped streams — the token claim
 * whose value(s) a subscriber's Kafka keys must equal (e.g. {@code sub}: a user reads only records keyed by their
 * own id). Applied only when authentication is enabled.
 */
public record StreamAccess(AccessRule subscribe, AccessRule publish, Optional<String> keyClaim) {
}
