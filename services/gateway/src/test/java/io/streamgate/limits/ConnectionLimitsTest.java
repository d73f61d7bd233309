package io.streamgate.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgate.auth.Principal;
import io.streamgate.config.Cidr;
import io.streamgate.config.LimitsSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The admission rules without HTTP: per address, per principal, by rate; permits released exactly once. */
class ConnectionLimitsTest {
    private static final Principal ALICE = new Principal("alice", Map.of("sub", "alice"), Optional.empty());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void aPrincipalIsLimitedAcrossAddressesAndAnonymousCallersOnlyByAddress() {
        ConnectionLimits limits = limits(10, 2, 0);
        ConnectionLimits.Permit first = limits.admit(ip("198.51.100.1"), ALICE);
        limits.admit(ip("198.51.100.2"), ALICE);

        assertThatThrownBy(() -> limits.admit(ip("198.51.100.3"), ALICE))
                .isInstanceOf(TooManyConnectionsException.class).hasMessageContaining("You already have 2");
        for (int i = 0; i < 5; i++) {
            limits.admit(ip("198.51.100.3"), Principal.ANONYMOUS);
        }
        first.close();
        limits.admit(ip("198.51.100.3"), ALICE);
        assertThat(registry.counter("streamgate.limits.refused", "reason", "connections-per-principal").count())
                .isEqualTo(1);
    }

    @Test
    void aRefusalByPrincipalGivesBackTheAddressSlotItTook() {
        ConnectionLimits limits = limits(1, 1, 0);
        limits.admit(ip("198.51.100.1"), ALICE);

        assertThatThrownBy(() -> limits.admit(ip("198.51.100.2"), ALICE))
                .isInstanceOf(TooManyConnectionsException.class);
        limits.admit(ip("198.51.100.2"), Principal.ANONYMOUS); // the address slot was not kept
    }

    @Test
    void closingAPermitTwiceReleasesItOnce() {
        ConnectionLimits limits = limits(2, 0, 0);
        ConnectionLimits.Permit permit = limits.admit(ip("198.51.100.1"), Principal.ANONYMOUS);
        limits.admit(ip("198.51.100.1"), Principal.ANONYMOUS);
        permit.close();
        permit.close();

        limits.admit(ip("198.51.100.1"), Principal.ANONYMOUS);
        assertThatThrownBy(() -> limits.admit(ip("198.51.100.1"), Principal.ANONYMOUS))
                .isInstanceOf(TooManyConnectionsException.class)
                .satisfies(e -> assertThat(((TooManyConnectionsException) e).retryAfter())
                        .isEqualTo(Duration.ofSeconds(5)));
    }

    @Test
    void zeroMeansNoLimit() {
        ConnectionLimits limits = limits(0, 0, 0);
        for (int i = 0; i < 1_000; i++) {
            limits.admit(ip("198.51.100.1"), ALICE);
        }
    }

    @Test
    void rateLimitedRefusalsSayWhenToRetry() {
        ConnectionLimits limits = limits(0, 0, 1);
        limits.admit(ip("198.51.100.1"), Principal.ANONYMOUS);

        assertThatThrownBy(() -> limits.admit(ip("198.51.100.1"), Principal.ANONYMOUS))
                .isInstanceOf(RateLimitedException.class)
                .satisfies(e -> assertThat(((RateLimitedException) e).retryAfter())
                        .isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1)));
        assertThat(registry.counter("streamgate.limits.refused", "reason", "rate").count()).isEqualTo(1);
    }

    private ConnectionLimits limits(int perIp, int perPrincipal, int rate) {
        return new ConnectionLimits(new LimitsSettings(perIp, perPrincipal, rate, Math.max(1, rate), 1_000,
                Duration.ofSeconds(5), List.of(), Duration.ofSeconds(30), 1_000), registry);
    }

    private static InetAddress ip(String literal) {
        return Cidr.address(literal).orElseThrow();
    }
}
