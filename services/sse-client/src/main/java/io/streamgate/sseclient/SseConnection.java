package io.streamgate.sseclient;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One SSE connection over a plain {@link Socket} (or TLS over it) and HTTP/1.1: a socket and the caller's thread,
 * none of {@code HttpClient}'s selector machinery, so thousands of them on virtual threads are cheap. The body is
 * de-chunked when chunked (else read to the end of the connection) and fed to an {@link SseParser} whose callbacks
 * go to the {@link SseListener}, id-only frames, comments and {@code retry:} included. It can also behave badly on
 * purpose: stop reading after the response head ({@link ConnectionOptions#paused()}, with a receive buffer as
 * small as asked, a slow client whose TCP window fills) and leave with a TCP reset ({@link #abort()}).
 *
 * <p>Threading: {@link #run()} blocks the calling thread until the stream ends and calls the listener on it; every
 * other method may be called from any thread. One {@code run()} per instance. Errors: {@code run()} throws nothing
 * (an {@link Error} from the listener aside): how the connection ended is in {@link #end()} and {@link #failure()}.
 */
public final class SseConnection implements Runnable {
    /** Bytes per read, and of the head's buffer: 8 KiB a connection, as the load generator has always had. */
    private static final int BUFFER = 4096;

    /** How a connection ended. */
    public enum End {
        /** Closed by this client ({@link #close()} or {@link #abort()}). */
        CLOSED,
        /** No response head: the connection, the TLS handshake or the head failed. */
        CONNECT_FAILED,
        /** A status other than 200 ({@link #errorBody()} holds the start of the body). */
        HTTP_ERROR,
        /** The open stream failed: a reset, the read timeout, a listener's exception. */
        DROPPED,
        /** The server ended the open stream cleanly (the last chunk, or the end of an unframed body). */
        ENDED_BY_SERVER
    }

    /** Sees every body byte before the parser does (for a test that keeps the raw text). */
    interface Tap {
        void onBytes(byte[] bytes, int offset, int length);
    }

    private final SseTarget target;
    private final ConnectionOptions options;
    private final SseListener listener;
    private final SseParser parser;
    private final boolean reconnect;
    private final ClientCounters counters;
    private final Runnable onHead;
    private final Tap tap;
    private final CountDownLatch headRead = new CountDownLatch(1);
    private final CountDownLatch reading;
    private final Socket socket = new Socket();
    private final SocketInput input;
    private volatile ResponseHead head;
    private volatile InputStream body;
    private volatile String lastEventId;
    private volatile long retry = -1;
    private volatile String errorBody = "";
    private volatile IOException failure;
    private volatile End end;

    /** @param lastEventId sent as {@code Last-Event-ID} and the parser's starting id (null or "": none) */
    public SseConnection(SseTarget target, String lastEventId, ConnectionOptions options, SseListener listener) {
        this(target, lastEventId, options, listener, false, null, null, null);
    }

    /**
     * @param counters counts the bytes and the opening (null: none)
     * @param onHead   run on the reading thread when the head arrived or the connection failed before (null: none)
     * @param tap      sees every body byte (null: none)
     */
    SseConnection(SseTarget target, String lastEventId, ConnectionOptions options, SseListener listener,
                  boolean reconnect, ClientCounters counters, Runnable onHead, Tap tap) {
        this.target = target;
        this.options = options;
        this.listener = listener;
        this.parser = new SseParser(listener, lastEventId);
        this.lastEventId = parser.lastEventId();
        this.reconnect = reconnect;
        this.counters = counters;
        this.onHead = onHead;
        this.tap = tap;
        this.reading = new CountDownLatch(options.paused() ? 1 : 0);
        this.input = new SocketInput(options.readTimeout());
    }

    /** Connects, sends the request and reads the stream until it ends or this client closes it. */
    @Override
    public void run() {
        boolean open = false;
        try (socket) {
            if (input.closing) {
                end = End.CLOSED;
                return;
            }
            Socket io = connect();
            io.getOutputStream().write(HttpRequest.bytes(target, lastEventId, options.headers()));
            io.getOutputStream().flush();
            input.attach(io.getInputStream());
            InputStream in = new BufferedInputStream(input, BUFFER);
            ResponseHead response = ResponseHead.read(in);
            head = response;
            if (onHead != null) {
                onHead.run();
            }
            InputStream content = response.chunked() ? new ChunkedInputStream(in) : in;
            if (response.status() != 200) {
                errorBody = HttpRequest.errorBody(response, content);
                end = End.HTTP_ERROR;
                return;
            }
            open = true;
            if (counters != null) {
                counters.markOpened();
            }
            body = content;
            headRead.countDown();
            listener.onOpen(reconnect);
            reading.await();
            byte[] buffer = new byte[BUFFER];
            for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
                feed(buffer, n);
            }
            end = input.closing ? End.CLOSED : End.ENDED_BY_SERVER;
        } catch (IOException | RuntimeException e) {
            if (input.closing) {
                end = End.CLOSED;
            } else {
                failure = e instanceof IOException io ? io : new IOException("the listener failed", e);
                end = open ? End.DROPPED : End.CONNECT_FAILED;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end = End.CLOSED;
        } finally {
            if (head == null && onHead != null) {
                onHead.run();
            }
            if (end == null) {
                end = End.DROPPED; // an Error from the listener is on its way up
            }
            headRead.countDown();
        }
    }

    private Socket connect() throws IOException {
        if (options.receiveBuffer() > 0) {
            socket.setReceiveBufferSize(options.receiveBuffer());
        }
        socket.setTcpNoDelay(true);
        socket.connect(target.address(), (int) options.connectTimeout().toMillis());
        Socket io = socket;
        if (target.tls() != null) {
            String host = target.hostHeader().substring(0, target.hostHeader().lastIndexOf(':'));
            SSLSocket tls = (SSLSocket) target.tls().createSocket(socket, host, target.address().getPort(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.setSoTimeout((int) options.connectTimeout().toMillis());
            tls.startHandshake();
            io = tls;
        }
        Duration check = options.closeCheck().isZero() ? options.readTimeout() : options.closeCheck();
        io.setSoTimeout((int) check.toMillis());
        return io;
    }

    private void feed(byte[] buffer, int n) {
        if (counters != null) {
            counters.addBytes(n);
        }
        if (tap != null) {
            tap.onBytes(buffer, 0, n);
        }
        parser.feed(buffer, 0, n);
        lastEventId = parser.lastEventId();
        retry = parser.retry();
    }

    /**
     * For a connection opened paused, on a thread other than {@link #run()}'s: reads and parses about {@code bytes}
     * body bytes, as a client that reads slowly would, so the server's blocked writes complete a little at a
     * time. The listener is called on the calling thread. Returns false at the end of the stream (or before the
     * stream opened). Not to be called concurrently with itself or after {@link #resume()}.
     */
    public boolean readSome(int bytes) {
        InputStream content = body;
        if (content == null) {
            return false;
        }
        byte[] buffer = new byte[Math.min(bytes, BUFFER)];
        try {
            for (int read = 0; read < bytes; ) {
                int n = content.read(buffer, 0, Math.min(buffer.length, bytes - read));
                if (n < 0) {
                    return false;
                }
                feed(buffer, n);
                read += n;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts reading a connection opened paused. */
    public void resume() {
        reading.countDown();
    }

    /**
     * Waits until the response head arrived (or the connection ended without one).
     *
     * @return the head, or null when the connection ended without one or the timeout passed first
     */
    public ResponseHead awaitHead(Duration timeout) throws InterruptedException {
        headRead.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return head;
    }

    /**
     * Closes the connection the way an application does: the reading thread stops and closes the socket itself
     * (within {@link ConnectionOptions#closeCheck()}), so the kernel closes it as any socket, with a FIN, or a
     * reset when data is left unread. (Closing a socket from another thread while one reads makes the JDK shut
     * down output first and close later; data arriving in between keeps the half-closed socket alive with a full
     * window.) With a zero close check the socket is closed from the calling thread at once.
     */
    public void close() {
        input.closing = true;
        reading.countDown();
        if (!socket.isConnected() || options.closeCheck().isZero()) {
            closeSocket();
        }
    }

    /** Leaves with a TCP reset (linger 0): a crashed client or a dropped network path, not a polite close. */
    public void abort() {
        input.closing = true;
        reading.countDown();
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // not connected yet, or already closed: closing below is all there is left to do
        }
        closeSocket();
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed is what we wanted
        }
    }

    /** The response head, or null before it arrived (or when it never did). */
    public ResponseHead head() {
        return head;
    }

    /** The response status, or -1 before the head arrived (or when it never did). */
    public int status() {
        ResponseHead h = head;
        return h == null ? -1 : h.status();
    }

    /** The last event id as of the last read (what a reconnect sends). */
    public String lastEventId() {
        return lastEventId;
    }

    /** The last valid {@code retry:} in milliseconds as of the last read, or -1 when the server sent none. */
    public long retry() {
        return retry;
    }

    /** The start (up to 4 KiB) of the body of a non-200 answer, whitespace collapsed; "" otherwise. */
    public String errorBody() {
        return errorBody;
    }

    /** Why the connection failed (not when this client closed it), or null. */
    public IOException failure() {
        return failure;
    }

    /** How the connection ended, or null while {@link #run()} has not returned. */
    public End end() {
        return end;
    }

    /** True from the response head with status 200 until the stream ended. */
    public boolean isOpen() {
        return end == null && status() == 200;
    }
}
