/**
 * How Streamgate's log lines look and how often they repeat: the JSON line format for log shippers, and the
 * throttles that let a condition lasting minutes (Kafka away, a topic missing) say so once a minute rather than
 * once a retry. Depends on nothing else in Streamgate, so every package may use it.
 */
package io.streamgate.logging;
