package io.streamgate.bench.sse;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * One SSE subscription over a plain {@link Socket} and HTTP/1.1, meant to run on its own virtual thread
 * ({@link #run()} blocks until {@link #close()}): a blocking read parks the virtual thread, so ten thousand
 * connections cost ten thousand small stacks and socket buffers, not ten thousand platform threads.
 *
 * <p>When a stream drops (I/O error, read timeout, or the server ends it) the client reconnects after
 * {@code reconnectDelay} with {@code Last-Event-ID} set to the last id it saw, as {@code EventSource} does, and
 * counts it. A 4xx answer (other than 429) ends the client: retrying the same request cannot help.
 */
public final class SseClient implements Runnable {
    /** Socket settings; the read timeout should exceed the server's heartbeat interval. */
    public record Options(Duration connectTimeout, Duration readTimeout, Duration reconnectDelay) {
    }

    private enum Outcome { RETRY, GIVE_UP, CLOSED }

    private final SseTarget target;
    private final SseListener listener;
    private final ClientCounters counters;
    private final Options options;
    private final Semaphore openPermits;
    private final String initialLastEventId;
    private volatile boolean closed;
    private volatile Socket socket;
    private boolean holdingPermit;

    /**
     * @param openPermits bounds how many clients are opening at once (null: no bound); a permit is held from
     *                    the first connect until its response headers arrive
     * @param lastEventId sent as {@code Last-Event-ID} on the first connection (null: none)
     */
    public SseClient(SseTarget target, SseListener listener, ClientCounters counters, Options options,
                     Semaphore openPermits, String lastEventId) {
        this.target = target;
        this.listener = listener;
        this.counters = counters;
        this.options = options;
        this.openPermits = openPermits;
        this.initialLastEventId = lastEventId;
    }

    @Override
    public void run() {
        String resumeFrom = initialLastEventId;
        boolean reconnect = false;
        while (!closed) {
            if (reconnect) {
                counters.markReconnect();
            } else if (openPermits != null) {
                try {
                    openPermits.acquire();
                    holdingPermit = true;
                } catch (InterruptedException e) {
                    return;
                }
            }
            SseParser parser = new SseParser(listener, resumeFrom);
            Outcome outcome = connectOnce(parser, resumeFrom, reconnect);
            releasePermit();
            resumeFrom = parser.lastEventId();
            if (closed || outcome != Outcome.RETRY) {
                return;
            }
            reconnect = true;
            try {
                Thread.sleep(options.reconnectDelay());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Ends the subscription: closes the socket, which ends {@link #run()} promptly. Safe from any thread. */
    public void close() {
        closed = true;
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
    }

    private Outcome connectOnce(SseParser parser, String resumeFrom, boolean reconnect) {
        boolean open = false;
        try (Socket s = new Socket()) {
            socket = s;
            if (closed) {
                return Outcome.CLOSED; // close() ran before the socket was published: it could not close it
            }
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) options.readTimeout().toMillis());
            s.connect(target.address(), (int) options.connectTimeout().toMillis());
            OutputStream out = s.getOutputStream();
            out.write(request(resumeFrom));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream(), 4096);
            ResponseHead head = ResponseHead.read(in);
            releasePermit();
            if (head.status() != 200) {
                counters.markHttpError(head.status(), snippet(in));
                boolean clientError = head.status() >= 400 && head.status() < 500 && head.status() != 429;
                return clientError ? Outcome.GIVE_UP : Outcome.RETRY;
            }
            open = true;
            counters.markOpened();
            listener.onOpen(reconnect);
            // Without chunked framing the body runs to the end of the connection (HTTP/1.1 §6.3).
            InputStream body = head.chunked() ? new ChunkedInputStream(in) : in;
            byte[] buffer = new byte[4096];
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                counters.addBytes(n);
                parser.feed(buffer, 0, n);
            }
            if (!closed) {
                counters.markEndedByServer();
            }
            return Outcome.RETRY;
        } catch (IOException | RuntimeException e) {
            if (closed) {
                return Outcome.CLOSED;
            }
            if (open) {
                counters.markDropped(e);
            } else {
                counters.markConnectFailed(e);
            }
            return Outcome.RETRY;
        }
    }

    private byte[] request(String lastEventId) {
        StringBuilder req = new StringBuilder(256)
                .append("GET ").append(target.path()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target.hostHeader()).append("\r\n")
                .append("Accept: text/event-stream\r\n")
                .append("Cache-Control: no-cache\r\n")
                .append("Connection: keep-alive\r\n");
        if (lastEventId != null) {
            req.append("Last-Event-ID: ").append(lastEventId).append("\r\n");
        }
        return req.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The start of an error body (a problem+json), for the report. */
    private static String snippet(InputStream in) {
        try {
            byte[] bytes = new byte[512];
            int n = in.read(bytes);
            return n <= 0 ? "" : new String(bytes, 0, n, StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "";
        }
    }

    private void releasePermit() {
        if (holdingPermit) {
            holdingPermit = false;
            openPermits.release();
        }
    }
}
