package io.streamgate.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * One SSE connection over a plain {@link Socket} and HTTP/1.1, for tests that open thousands at once: a socket and
 * the caller's (virtual) thread each, none of {@code HttpClient}'s selector and flow machinery. It can also behave
 * badly on purpose: stop reading after the response head (a slow client whose TCP window fills, with a receive
 * buffer as small as asked) and leave with a TCP reset instead of a close.
 *
 * <p>Frames are parsed by {@link SseParser}, fed line by line so that an id-only frame (the stream's start
 * position) is reported too. {@link #run()} blocks on the calling thread until the stream ends; {@link #resume()},
 * {@link #close()} and {@link #abort()} may be called from any thread.
 */
public final class SocketSseClient implements Runnable {
    /** What the connection receives; called on the thread running {@link #run()}, one call at a time. */
    public interface Listener {
        /** The server answered 200: the stream is open. */
        default void onOpen() {
        }

        /** A frame moved the last event id without dispatching an event: the start position, for one. */
        void onIdOnly(String lastEventId);

        void onEvent(SseEvent event);
    }

    /** How often a reading thread blocked on a silent stream looks whether it should close. */
    private static final int CLOSE_CHECK_MILLIS = 250;

    private final InetSocketAddress server;
    private final String request;
    private final Listener listener;
    private final int receiveBuffer;
    private final CountDownLatch reading;
    private final Socket socket = new Socket();
    private volatile int status = -1;
    private volatile boolean closing;
    private volatile String failure;
    private volatile long retry = -1;

    /**
     * @param lastEventId   sent as {@code Last-Event-ID} (null: none, a fresh subscription)
     * @param receiveBuffer the socket's receive buffer in bytes, set before connecting so the advertised window
     *                      stays that small (0: the system default)
     * @param paused        read nothing after the response head until {@link #resume()}
     */
    public SocketSseClient(InetSocketAddress server, String pathAndQuery, String lastEventId, Listener listener,
                           int receiveBuffer, boolean paused) {
        this.server = server;
        this.request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + server.getHostString() + ":"
                + server.getPort() + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n"
                + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "\r\n";
        this.listener = listener;
        this.receiveBuffer = receiveBuffer;
        this.reading = new CountDownLatch(paused ? 1 : 0);
    }

    /** Connects, sends the request and reads the stream until the server ends it or the client is closed. */
    @Override
    public void run() {
        try (socket) {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(server, 10_000);
            socket.setSoTimeout(CLOSE_CHECK_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(new UntilClosed(socket.getInputStream()), 4096);
            boolean chunked = readHead(in);
            if (status != 200) {
                return;
            }
            listener.onOpen();
            reading.await();
            parse(new InputStreamReader(chunked ? new Dechunked(in) : in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (!closing) {
                failure = e.toString();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean readHead(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        status = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
        }
        return chunked;
    }

    /** Feeds the parser up to each line end, so a dispatch (or an id-only frame) is seen as it happens. */
    private void parse(Reader reader) throws IOException {
        boolean[] dispatched = new boolean[1];
        SseParser parser = new SseParser(event -> {
            dispatched[0] = true;
            listener.onEvent(event);
        });
        String lastId = "";
        char[] buffer = new char[8192];
        for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
            int from = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n' || buffer[i] == '\r') {
                    parser.feed(java.nio.CharBuffer.wrap(buffer, from, i + 1 - from));
                    from = i + 1;
                    if (!parser.lastEventId().equals(lastId)) {
                        lastId = parser.lastEventId();
                        if (!dispatched[0]) {
                            listener.onIdOnly(lastId);
                        }
                    }
                    dispatched[0] = false;
                }
            }
            parser.feed(java.nio.CharBuffer.wrap(buffer, from, n - from));
            retry = parser.retry();
        }
    }

    /** Starts reading a client created paused. */
    public void resume() {
        reading.countDown();
    }

    /**
     * Closes the connection the way an application normally does: the reading thread stops and closes the socket
     * itself (within {@value #CLOSE_CHECK_MILLIS} ms), so the kernel closes it as it would any socket — a FIN, or a
     * reset when data is left unread. (Closing the socket from another thread while one reads it makes the JDK
     * shut down output first and close later; data arriving in between keeps the half-closed socket alive with a
     * full window for up to tcp_fin_timeout, and the server's writes keep succeeding meanwhile.)
     */
    public void close() {
        closing = true;
        reading.countDown();
        if (!socket.isConnected()) {
            closeSocket();
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed is what we wanted
        }
    }

    /** Leaves with a TCP reset (linger 0): a crashed client or a dropped network path, not a polite close. */
    public void abort() {
        closing = true;
        reading.countDown();
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // not connected yet, or already closed: closing below is all that is left to do
        }
        closeSocket();
    }

    /** The response status, or -1 before the head arrived (or when it never did). */
    public int status() {
        return status;
    }

    /** The last {@code retry:} the server sent in milliseconds, or -1. */
    public long retry() {
        return retry;
    }

    /** Why the connection failed (not when it was closed by this client), or null. */
    public String failure() {
        return failure;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection ended inside the response head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** The socket's input, ending (as at the end of the stream) once the client is closing. */
    private final class UntilClosed extends java.io.FilterInputStream {
        UntilClosed(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (!closing) {
                try {
                    return in.read(b, off, len);
                } catch (java.net.SocketTimeoutException quiet) {
                    // nothing arrived for a while: look at the closing flag, then read on
                }
            }
            return -1;
        }
    }

    /** The body of a {@code Transfer-Encoding: chunked} response, de-chunked; ends at the last (empty) chunk. */
    private static final class Dechunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Dechunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                int semicolon = size.indexOf(';');
                left = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
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
