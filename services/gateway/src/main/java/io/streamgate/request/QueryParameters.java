package io.streamgate.request;

import io.helidon.webserver.http.ServerRequest;
import io.streamgate.auth.Authentication;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters an endpoint understands: any other is refused with {@link UnknownParameterException} (400)
 * rather than ignored, so that a typo ({@code ?form=earliest}) is reported instead of silently changing what the
 * client gets. {@code access_token} is accepted everywhere: the authentication filter decides whether tokens may
 * travel in the URL.
 */
public final class QueryParameters {
    private QueryParameters() {
    }

    /**
     * @param known the parameters this endpoint reads ({@code access_token} need not be listed)
     * @param hint  how to say what the endpoint accepts instead, for the problem detail
     * @throws UnknownParameterException naming the first parameter that is not known
     */
    public static void requireKnown(ServerRequest req, Set<String> known, String hint) {
        for (String name : new TreeSet<>(req.query().names())) {
            if (!known.contains(name) && !name.equals(Authentication.QUERY_PARAMETER)) {
                throw new UnknownParameterException(name, "Unknown query parameter '" + truncate(name) + "': "
                        + hint);
            }
        }
    }

    private static String truncate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
