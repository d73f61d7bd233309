package io.streamgate.catalog;

/** The stream is configured but disabled ({@code enabled: false}): nothing can be published to it now. */
public final class StreamDisabledException extends RuntimeException {
    public StreamDisabledException(String name) {
        super("The stream '" + name + "' is disabled; nothing can be published to it until its operators enable "
                + "it again.", null, false, false);
    }
}
