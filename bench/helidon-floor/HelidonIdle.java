import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * What Helidon WebServer itself holds for one idle SSE connection: GET /stream sends the event-stream head and one
 * comment, then its handler parks — no Kafka, no subscriber, nothing of Streamgate's. bench/run idle --server
 * helidon opens N connections to it and reports heap and RSS per connection, the least any design that keeps
 * Helidon's thread-per-connection model can reach.
 *
 * Run: java -cp "services/gateway/target/lib/*" bench/helidon-floor/HelidonIdle.java PORT
 */
public class HelidonIdle {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        byte[] hello = ": hello\n\n".getBytes(StandardCharsets.UTF_8);
        WebServer server = WebServer.builder()
                .port(port)
                .routing(HttpRouting.builder().get("/stream/{topic}", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
                    try (OutputStream out = res.outputStream()) {
                        out.write(hello);
                        out.flush();
                        while (!Thread.currentThread().isInterrupted()) {
                            LockSupport.park();
                        }
                    }
                }))
                .build()
                .start();
        System.out.println("helidon-idle listening on " + server.port());
    }
}
