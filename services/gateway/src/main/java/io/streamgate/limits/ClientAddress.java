package io.streamgate.limits;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.streamgate.config.Cidr;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who a request comes from, as the limits count it. The socket peer, unless the peer is a trusted proxy: then the
 * right-most address of {@code X-Forwarded-For} that is not a trusted proxy — every address to its right was added
 * by a proxy we trust, anything to its left was written by the client and proves nothing. Thread-safe.
 */
public final class ClientAddress {
    private final List<Cidr> trustedProxies;

    public ClientAddress(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /** The client's address; never from a header unless the peer is trusted. */
    public InetAddress of(ServerRequest req) {
        return resolve(((InetSocketAddress) req.remotePeer().address()).getAddress(),
                req.headers().all(HeaderNames.X_FORWARDED_FOR, List::of));
    }

    /** @param forwardedFor the {@code X-Forwarded-For} header fields in the order received */
    InetAddress resolve(InetAddress peer, List<String> forwardedFor) {
        if (!trusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        forwardedFor.forEach(value -> hops.addAll(List.of(value.split(","))));
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = literal(hops.get(i).trim());
            if (hop.isEmpty()) {
                break; // not an address (e.g. "unknown"): the last trusted hop is as far as we can see
            }
            client = hop.get();
            if (!trusted(client)) {
                break;
            }
        }
        return client;
    }

    /**
     * The limits' key for an address: the address itself for IPv4, the /64 network for IPv6 (one host usually
     * holds a whole /64, so counting single addresses would let it take as many slots as it likes).
     */
    public static String key(InetAddress address) {
        if (address instanceof Inet6Address) {
            return Cidr.parse(address.getHostAddress() + "/64").toString();
        }
        return address.getHostAddress();
    }

    private boolean trusted(InetAddress address) {
        for (Cidr proxy : trustedProxies) {
            if (proxy.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An address as proxies write it: bare, bracketed IPv6, either with a port. */
    private static Optional<InetAddress> literal(String hop) {
        String host = hop;
        if (host.startsWith("[") && host.indexOf(']') > 0) {
            host = host.substring(1, host.indexOf(']'));
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            host = host.substring(0, host.indexOf(':')); // IPv4 with a port
        }
        return Cidr.address(host);
    }
}
