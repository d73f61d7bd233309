package io.streamgate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which other origins' pages may call Streamgate from a browser.
 *
 * @param allowedOrigins   origins as browsers send them ({@code https://app.example.com}), lower case
 * @param anyOrigin        {@code *} was listed: every origin is allowed (only without credentials)
 * @param allowCredentials browsers may send cookies and HTTP authentication along
 * @param maxAge           how long a browser may cache a preflight's answer
 */
public record CorsSettings(List<String> allowedOrigins, boolean anyOrigin, boolean allowCredentials,
                           Duration maxAge) {
    /** Scheme, host (a name, IPv4 or bracketed IPv6) and optional port; nothing else. */
    private static final Pattern ORIGIN = Pattern.compile(
            "https?://([a-z0-9.\\-]+|\\[[0-9a-f:.]+])(:\\d{1,5})?");

    public CorsSettings {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    static CorsSettings read(ConfigReader r) {
        String base = "streamgate.cors";
        boolean credentials = r.bool(base + ".allowCredentials");
        List<String> origins = new ArrayList<>();
        boolean any = false;
        for (String origin : r.stringList(base + ".allowedOrigins")) {
            String normalised = origin.trim().toLowerCase(Locale.ROOT);
            if (normalised.equals("*")) {
                any = true;
                if (credentials) {
                    r.problem(base + ".allowedOrigins", origin, "cannot be combined with " + base
                            + ".allowCredentials: true (browsers refuse it); list the origins instead");
                }
            } else if (ORIGIN.matcher(normalised).matches()) {
                origins.add(normalised);
            } else {
                r.problem(base + ".allowedOrigins", origin, "must be * or an origin such as https://app.example.com "
                        + "(scheme, host and optional port; no path, no trailing slash)");
            }
        }
        return new CorsSettings(origins, any, credentials,
                r.duration(base + ".maxAge", Duration.ZERO, Duration.ofDays(1)));
    }
}
