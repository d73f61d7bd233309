package io.streamgate.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgate.config.Cidr;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whose address a request counts against: the peer, or what trusted proxies say about it — never the client. */
class ClientAddressTest {
    private static final ClientAddress BEHIND_PROXIES = new ClientAddress(
            List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")));

    @Test
    void anUntrustedPeerIsTheClientWhateverItsForwardedForSays() {
        ClientAddress direct = new ClientAddress(List.of());

        assertThat(direct.resolve(ip("203.0.113.5"), List.of("198.51.100.1"))).isEqualTo(ip("203.0.113.5"));
        assertThat(BEHIND_PROXIES.resolve(ip("203.0.113.5"), List.of("198.51.100.1"))).isEqualTo(ip("203.0.113.5"));
    }

    @Test
    void behindTrustedProxiesTheClientIsTheRightMostUntrustedHop() {
        // The client forged the first entry; our proxies appended the real address and their own.
        assertThat(BEHIND_PROXIES.resolve(ip("10.0.0.2"), List.of("1.1.1.1, 198.51.100.7, 10.0.0.9")))
                .isEqualTo(ip("198.51.100.7"));
        assertThat(BEHIND_PROXIES.resolve(ip("10.0.0.2"), List.of("1.1.1.1", "198.51.100.7", "10.0.0.9")))
                .as("several header fields count as one list").isEqualTo(ip("198.51.100.7"));
    }

    @Test
    void trustedProxiesMayBeIpv6AndClientsMayCarryPorts() {
        assertThat(BEHIND_PROXIES.resolve(ip("fd00::2"), List.of("[2001:db8::5]:4711")))
                .isEqualTo(ip("2001:db8::5"));
        assertThat(BEHIND_PROXIES.resolve(ip("fd00::2"), List.of("198.51.100.7:4711, fd00::3")))
                .isEqualTo(ip("198.51.100.7"));
    }

    @Test
    void aTrustedPeerWithoutForwardedForIsItselfTheClient() {
        assertThat(BEHIND_PROXIES.resolve(ip("10.0.0.2"), List.of())).isEqualTo(ip("10.0.0.2"));
    }

    @Test
    void whenEveryHopIsTrustedTheLeftMostIsTheClient() {
        assertThat(BEHIND_PROXIES.resolve(ip("10.0.0.2"), List.of("10.9.9.9, 10.0.0.1"))).isEqualTo(ip("10.9.9.9"));
    }

    @Test
    void aHopThatIsNotAnAddressEndsTheWalkAtTheLastTrustedOne() {
        assertThat(BEHIND_PROXIES.resolve(ip("10.0.0.2"), List.of("198.51.100.7, unknown, 10.0.0.9")))
                .isEqualTo(ip("10.0.0.9"));
        assertThat(BEHIND_PROXIES.resolve(ip("10.0.0.2"), List.of("evil.example")))
                .as("never a host name, never a DNS lookup").isEqualTo(ip("10.0.0.2"));
    }

    @Test
    void anIpv6ClientIsCountedByItsSlash64AndAnIpv4ClientByItsAddress() {
        assertThat(ClientAddress.key(ip("2001:db8:1:2:aaaa::1"))).isEqualTo(ClientAddress.key(ip("2001:db8:1:2::9")));
        assertThat(ClientAddress.key(ip("2001:db8:1:2::1"))).isNotEqualTo(ClientAddress.key(ip("2001:db8:1:3::1")));
        assertThat(ClientAddress.key(ip("198.51.100.7"))).isEqualTo("198.51.100.7");
    }

    private static InetAddress ip(String literal) {
        return Cidr.address(literal).orElseThrow();
    }
}
