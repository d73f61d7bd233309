/**
 * What happens when an engine thread fails unexpectedly. Two outcomes, chosen by what failed:
 * <ul>
 *   <li>An {@link java.lang.Exception} in one step of a loop or periodic task (a Kafka client bug, a surprising
 *       record) is logged with its cause once per streak, and the step is retried with exponential backoff
 *       ({@link Backoff}): the rest of the instance keeps serving, and the part recovers when the cause does.</li>
 *   <li>An {@link java.lang.Error} ({@code OutOfMemoryError}, {@code StackOverflowError}, a linkage error) or an
 *       exception nothing expected to escape a thread ends the process with exit code {@value Fatal#EXIT_CODE}
 *       after one log line with the cause ({@link Fatal}). The JVM's state is no longer trusted, Kubernetes
 *       restarts the pod, and every client resumes exactly from its last id on another instance: a restart costs a
 *       reconnect, while a half-dead instance that stays ready would serve nothing.</li>
 * </ul>
 */
package io.streamgate.supervise;
