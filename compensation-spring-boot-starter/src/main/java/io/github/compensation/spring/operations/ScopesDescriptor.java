package io.github.compensation.spring.operations;

import java.util.List;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * The answer of {@code GET /actuator/compensations}: the matching scopes, newest first.
 *
 * @param scopes the scopes
 */
public record ScopesDescriptor(List<ScopeDescriptor> scopes) implements OperationResponseBody {
}
