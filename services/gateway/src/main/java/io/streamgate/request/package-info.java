/**
 * Reading what a client sends, and refusing it in words: the query parameters an endpoint knows, request bodies
 * read within the server's bounds, and JSON parse errors told without naming the parser. Endpoints use it;
 * {@code http} maps its exceptions to problems.
 */
package io.streamgate.request;
