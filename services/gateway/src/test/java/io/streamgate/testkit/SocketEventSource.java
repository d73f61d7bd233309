package io.streamgate.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A lean EventSource for tests that run a thousand of them: one virtual thread and one plain socket each (HTTP/1.1,
 * {@code Connection: close}), no event list kept — every event goes to the listener as it is dispatched. Like a
 * browser's EventSource it reconnects after the server's {@code retry:} with {@code Last-Event-ID}, and keeps its
 * last event id across connections (also across a connection that ended before its first event).
 *
 * <p>Why not {@link ReconnectingClient} for this: that one keeps every event in a copy-on-write list (quadratic in
 * the events per client) and runs all clients through one JDK HttpClient; this one costs a socket and a small
 * buffer per client. The listener is called on the client's thread, one event at a time.
 */
public final class SocketEventSource implements AutoCloseable {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final String host;
    private final int port;
    private final String pathAndQuery;
    private final Consumer<SseEvent> listener;
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean open;
    private volatile String lastEventId = "";
    private volatile long retryMillis = 1000;
    private volatile Socket socket;

    /** Connects to {@code host:port} and starts reading {@code pathAndQuery}; events go to {@code listener}. */
    public SocketEventSource(String host, int port, String pathAndQuery, Consumer<SseEvent> listener) {
        this.host = host;
        this.port = port;
        this.pathAndQuery = pathAndQuery;
        this.listener = listener;
        this.thread = Thread.ofVirtual().name("socket-event-source").start(this::loop);
    }

    /** Connection attempts made so far, answered or not. */
    public int connects() {
        return connects.get();
    }

    /** Connections that were answered {@code 200 text/event-stream}. */
    public int opened() {
        return opened.get();
    }

    /** True while a stream is open (answered 200 and not ended yet). */
    public boolean isOpen() {
        return open;
    }

    public String lastEventId() {
        return lastEventId;
    }

    private void loop() {
        while (!closed) {
            try {
                connectOnce();
            } catch (IOException | RuntimeException e) {
                // refused, cut or timed out: like EventSource, try again after the reconnection time
            } finally {
                open = false;
            }
            try {
                Thread.sleep(retryMillis); // EventSource's reconnection delay, not synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void connectOnce() throws IOException {
        try (Socket s = new Socket()) {
            socket = s;
            if (closed) {
                return;
            }
            connects.incrementAndGet();
            s.connect(new InetSocketAddress(host, port), 5_000);
            s.setSoTimeout((int) READ_TIMEOUT.toMillis());
            String id = lastEventId;
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n"
                    + (id.isEmpty() ? "" : "Last-Event-ID: " + id + "\r\n") + "\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
            Head head = Head.read(in);
            if (head.status != 200 || !head.contentType.startsWith("text/event-stream")) {
                return; // e.g. 503 or 429: retried like EventSource would after a failed connection
            }
            opened.incrementAndGet();
            open = true;
            InputStream body = head.chunked ? new ChunkedInputStream(in) : in;
            SseParser parser = new SseParser(listener);
            char[] buffer = new char[4096];
            try (Reader reader = new InputStreamReader(body, StandardCharsets.UTF_8)) {
                int n;
                while (!closed && (n = reader.read(buffer)) != -1) {
                    parser.feed(java.nio.CharBuffer.wrap(buffer, 0, n));
                    // The parser is per connection; the id lives across them as EventSource's does. Streamgate
                    // never sends an empty id, so "no id yet on this connection" is the only empty value.
                    if (!parser.lastEventId().isEmpty()) {
                        lastEventId = parser.lastEventId();
                    }
                    if (parser.retry() >= 0) {
                        retryMillis = parser.retry();
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** The status line and the headers this client looks at. */
    private record Head(int status, String contentType, boolean chunked) {
        static Head read(InputStream in) throws IOException {
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.1 response: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            String contentType = "";
            boolean chunked = false;
            String header;
            while (!(header = line(in)).isEmpty()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                if (name.equals("content-type")) {
                    contentType = value.toLowerCase(Locale.ROOT);
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                }
            }
            return new Head(status, contentType, chunked);
        }
    }

    /** One CRLF-terminated line (ISO-8859-1, as HTTP/1.1 heads are), without the line end. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = out.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (out.size() > 16 * 1024) {
                throw new IOException("line too long");
            }
            out.write(b);
        }
        throw new IOException("connection ended inside the response head");
    }

    /** HTTP/1.1 chunked transfer coding: hands out the chunks' data; ends at the last (empty) chunk. */
    private static final class ChunkedInputStream extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                int extension = size.indexOf(';');
                left = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
                if (left == 0) {
                    done = true; // trailers, if any, are not read: the connection closes anyway
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n == -1) {
                throw new IOException("connection ended inside a chunk");
            }
            left -= n;
            if (left == 0) {
                line(in); // the CRLF after the chunk's data
            }
            return n;
        }
    }
}
