package io.streamgate.console;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console and the browser client, static files from the classpath: {@code web/index.html} at {@code /},
 * {@code web/client.js} at {@code /client.js}, {@code web/console/…} at {@code /console/…}, and the charting library
 * (uPlot, from its WebJar) at {@code /vendor/uplot/…}. Nothing is fetched from elsewhere, so the console works offline.
 *
 * <p>File names are not content-hashed (there is no build step), so every response says {@code Cache-Control:
 * no-cache} with a strong {@code ETag}: browsers revalidate and get {@code 304} while the file is unchanged. Pages get
 * a Content-Security-Policy that allows only this origin. Files are read once and kept: the set is fixed by the
 * classpath, and only files that exist are cached. Thread-safe.
 */
public final class ConsoleEndpoint {
    private static final String WEB = "web/";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/";
    /** Path segments we serve: no empty, dot or dot-dot segments, nothing that needs escaping. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final String PAGE_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/markdown; charset=utf-8"));

    private final ClassLoader classLoader;
    private final String uplotDist;
    private final Map<String, StaticFile> cache = new ConcurrentHashMap<>();

    private record StaticFile(byte[] bytes, String contentType, String etag) {
    }

    public ConsoleEndpoint() {
        this.classLoader = ConsoleEndpoint.class.getClassLoader();
        this.uplotDist = UPLOT + webJarVersion(classLoader, "uplot") + "/";
    }

    public void register(HttpRouting.Builder routing) {
        routing.get("/", (req, res) -> serve(req, res, WEB + "index.html"))
                .get("/client.js", (req, res) -> serve(req, res, WEB + "client.js"))
                .get("/console/{+path}", (req, res) -> serve(req, res,
                        resource(WEB + "console/", req.path().pathParameters().get("path"))))
                .get("/vendor/uplot/{+path}", (req, res) -> serve(req, res, uplotResource(
                        req.path().pathParameters().get("path"))));
    }

    /** The library's files are under {@code dist/}; its licence beside them. */
    private String uplotResource(String path) {
        return path.equals("LICENSE") ? uplotDist + "LICENSE" : resource(uplotDist + "dist/", path);
    }

    private static String resource(String root, String path) {
        for (String segment : path.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                return null;
            }
        }
        return root + path;
    }

    private void serve(ServerRequest req, ServerResponse res, String resource) {
        Optional<StaticFile> file = resource == null ? Optional.empty() : load(resource);
        if (file.isEmpty()) {
            res.next(); // the catch-all answers 404 as a problem, like any unknown path
            return;
        }
        StaticFile found = file.get();
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.ETAG, found.etag());
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        if (req.headers().contains(HeaderNames.IF_NONE_MATCH)
                && req.headers().get(HeaderNames.IF_NONE_MATCH).allValues(true).contains(found.etag())) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, found.contentType());
        if (found.contentType().startsWith("text/html")) {
            res.header(HeaderNames.create("Content-Security-Policy"), PAGE_POLICY);
            res.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        }
        res.send(found.bytes());
    }

    private Optional<StaticFile> load(String resource) {
        StaticFile cached = cache.get(resource);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            StaticFile file = new StaticFile(bytes, contentType(resource), etag(bytes));
            cache.put(resource, file);
            return Optional.of(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the classpath", e);
        }
    }

    private static String contentType(String resource) {
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "txt" : name.substring(dot + 1);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The version of a WebJar on the classpath, from its Maven metadata (so the path follows the pom). */
    private static String webJarVersion(ClassLoader classLoader, String artifact) {
        String metadata = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = classLoader.getResourceAsStream(metadata)) {
            if (in == null) {
                throw new IllegalStateException("The WebJar org.webjars.npm:" + artifact + " is not on the classpath"
                        + " (" + metadata + " is missing); the console needs it.");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
