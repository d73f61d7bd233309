package io.streamgate.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * A container healthcheck for an image without a shell or curl: {@code java -cp /app/classes
 * io.streamgate.image.HttpProbe http://127.0.0.1:8080/health/ready} exits 0 on a 2xx answer, 1 on any other answer
 * or failure (docker-compose's {@code healthcheck}; Kubernetes probes over HTTP itself and does not need it).
 */
public final class HttpProbe {
    private static final int TIMEOUT_MILLIS = 2_000;

    private HttpProbe() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: HttpProbe URL");
            System.exit(2);
        }
        System.exit(probe(args[0]) ? 0 : 1);
    }

    static boolean probe(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            int status = connection.getResponseCode();
            try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (body != null) {
                    body.readAllBytes();
                }
            }
            System.out.println(url + " -> " + status);
            return status >= 200 && status < 300;
        } catch (IOException | IllegalArgumentException e) {
            System.out.println(url + " -> " + e.getMessage());
            return false;
        }
    }
}
