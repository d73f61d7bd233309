/**
 * The event contracts of Streamgate as a library: the JSON Schemas (draft 2020-12) of the CloudEvents envelope and
 * of each domain event's {@code data}, packaged under {@code /schemas} on the classpath, and the API to validate
 * against them.
 *
 * <p>Start at {@link io.streamgate.schemas.EventSchemas}: {@code builtIn()} for the packaged schemas,
 * {@code builtInAnd(directory)} to add a deployment's own. Schema ids follow
 * {@code urn:streamgate:schema:<type>:v<N>}, which is what an event's CloudEvents {@code dataschema} names.
 */
package io.streamgate.schemas;
