package io.streamgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8, 10.255.1.2, true", "10.0.0.0/8, 11.0.0.1, false",
            "192.168.1.7, 192.168.1.7, true", "192.168.1.7, 192.168.1.8, false",
            "0.0.0.0/0, 203.0.113.9, true",
            "fd00::/8, fd12:3456::1, true", "fd00::/8, fe80::1, false",
            "2001:db8::1, 2001:db8::1, true", "2001:db8::/32, 2001:db9::1, false",
            "10.0.0.0/8, ::1, false", "::/0, 10.0.0.1, false"})
    void containsTheAddressesOfItsBlockOnly(String cidr, String address, boolean contained) throws Exception {
        assertThat(Cidr.parse(cidr).contains(InetAddress.getByName(address))).isEqualTo(contained);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "10.0.0", "256.1.1.1", "01.2.3.4",
            "1:2:3", "zz::1", ""})
    void refusesWhatIsNotAnAddressLiteralWithoutAskingDns(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an IPv4 or IPv6 address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "fd00::/129"})
    void refusesAPrefixLongerThanTheAddress(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).hasMessageContaining("prefix length");
    }

    @Test
    void normalisesTheNetworkSoEqualBlocksAreEqual() {
        assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
        assertThat(Cidr.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
    }
}
