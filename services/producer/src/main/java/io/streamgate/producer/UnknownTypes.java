package io.streamgate.producer;

/** What to do with an event whose type has no schema: refuse it, or accept it with its data unchecked. */
public enum UnknownTypes {
    REJECT,
    ACCEPT
}
