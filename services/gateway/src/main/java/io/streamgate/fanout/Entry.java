package io.streamgate.fanout;

/**
 * One record of a stream, decoded and framed once for every subscriber of the stream.
 *
 * <p>{@code frame} is the complete SSE event with the stream's live id: {@code "id: <id>\n"} followed by the rest
 * at {@code bodyOffset}. A subscriber whose position equals the live position writes {@code frame} as it is; one
 * that is still merging writes its own id line followed by the body. Control entries (gaps the live reader had to
 * skip) bypass filters. {@code timestamp} is the record's Kafka timestamp (for delivery latency). Immutable.
 */
record Entry(long seq, int topic, int partition, long offset, long timestamp, String key, String type, String id,
             byte[] frame, int bodyOffset, boolean control) {

    /** Approximate heap cost, for the buffer's byte bound. */
    long weight() {
        return 96L + frame.length + 2L * id.length() + (key == null ? 0 : 40L + key.length())
                + (type == null ? 0 : 40L + type.length());
    }
}
