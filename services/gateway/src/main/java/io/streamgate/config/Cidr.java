package io.streamgate.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A block of IPv4 or IPv6 addresses written as {@code 10.0.0.0/8}, {@code fd00::/8}, or one address (a /32 or
 * /128). Immutable.
 *
 * <p>Parsing never asks DNS: only IP literals are accepted (see {@link #address(String)}).
 */
public record Cidr(byte[] network, int prefix) {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

    public Cidr {
        network = network.clone();
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code text} */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address = address(host).orElseThrow(() ->
                new IllegalArgumentException("is not an IPv4 or IPv6 address or block such as 10.0.0.0/8 or fd00::/8"));
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("has a prefix length outside 0-" + bits);
            }
        }
        return new Cidr(mask(address.getAddress(), prefix), prefix);
    }

    /**
     * An IP literal as an address, without any DNS lookup: dotted-quad IPv4 (no leading zeros) or IPv6 (with or
     * without brackets). Empty for anything else, including host names.
     */
    public static Optional<InetAddress> address(String text) {
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        try {
            if (IPV4.matcher(literal).matches()) {
                String[] parts = literal.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    bytes[i] = (byte) Integer.parseInt(parts[i]);
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            if (literal.indexOf(':') >= 0 && IPV6.matcher(literal).matches()) {
                // Brackets make the JDK treat the text as an IPv6 literal and never fall back to a lookup.
                return Optional.of(InetAddress.getByName("[" + literal + "]"));
            }
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && java.util.Arrays.equals(mask(bytes, prefix), network);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            masked[i] &= (byte) (0xff << (8 - keep));
        }
        return masked;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefix == other.prefix && java.util.Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        try {
            String host = InetAddress.getByAddress(network).getHostAddress();
            return host + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte network is always an address", e);
        }
    }
}
