package io.streamgate.publish;

/** The publish body has a content type other than JSON, CloudEvents JSON or NDJSON. */
public final class UnsupportedMediaTypeException extends RuntimeException {
    public UnsupportedMediaTypeException(String contentType) {
        super("Send events as application/json (or application/cloudevents+json), or a batch as "
                + "application/x-ndjson; got '" + (contentType.length() > 80 ? contentType.substring(0, 80)
                : contentType) + "'.", null, false, false);
    }
}
