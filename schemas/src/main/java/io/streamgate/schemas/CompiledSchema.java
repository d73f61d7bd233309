package io.streamgate.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.path.NodePath;
import java.util.List;

/**
 * A schema compiled by networknt, validating into {@link Violation}s. Thread-safe: its references were all
 * resolved when it was compiled ({@link SchemaCompiler}), and networknt gives each validation its own execution
 * context.
 */
final class CompiledSchema {
    private final Schema schema;

    CompiledSchema(Schema schema) {
        this.schema = schema;
    }

    /** Every violation of {@code instance}; Java null and a missing node count as JSON null. */
    List<Violation> validate(JsonNode instance) {
        JsonNode subject = instance == null || instance.isMissingNode() ? NullNode.getInstance() : instance;
        return schema.validate(subject).stream().map(CompiledSchema::violation).toList();
    }

    static Violation violation(Error error) {
        // Error.getMessage() is the bare message; it is toString() that puts the location in front.
        return new Violation(pointer(error.getInstanceLocation()), error.getMessage());
    }

    /** The RFC 6901 form of a location, built from its elements so that it does not depend on a path style. */
    static String pointer(NodePath location) {
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            pointer.append('/').append(element.toString().replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }
}
