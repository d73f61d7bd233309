package io.streamgate.catalog;

/** No stream of that name is configured. */
public final class StreamNotFoundException extends RuntimeException {
    public StreamNotFoundException(String name) {
        super("There is no stream named '" + (name.length() > 64 ? name.substring(0, 64) + "…" : name)
                + "'. GET /streams lists the streams.", null, false, false);
    }
}
