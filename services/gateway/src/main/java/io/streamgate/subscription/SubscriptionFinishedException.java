package io.streamgate.subscription;

/**
 * The request resumes from the end id of a finite subscription ({@link Until}) that has finished: there is nothing
 * more to deliver to it, and the answer is {@code 204 No Content}, which tells {@code EventSource} not to reconnect.
 */
public final class SubscriptionFinishedException extends RuntimeException {
    public SubscriptionFinishedException(String stream) {
        super("The subscription to '" + stream + "' finished (until=); resume from the end event's resumeFrom id to "
                + "go on.", null, false, false);
    }
}
