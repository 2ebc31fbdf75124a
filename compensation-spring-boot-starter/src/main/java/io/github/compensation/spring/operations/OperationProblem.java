package io.github.compensation.spring.operations;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.util.MimeType;

/**
 * A problem detail (RFC 9457) the {@code compensations} endpoint answers with when it refuses a request (clause O3):
 * an unknown or malformed scope id ({@code 404}), a filter it cannot read or an unknown action ({@code 400}), an action
 * that does not apply to the scope ({@code 409}). Sent as {@code application/problem+json}. Immutable.
 *
 * @param type      a URI naming the kind of problem, relative to the endpoint's documentation
 * @param title     the kind of problem, in a few words
 * @param status    the HTTP status
 * @param detail    what is wrong with this request, and what to do instead
 * @param instance  the request's path below the endpoint, or {@code null}
 * @param parameter the query parameter or path segment at fault, or {@code null}
 * @param accepted  the values that parameter accepts, or {@code null}
 */
public record OperationProblem(String type, String title, int status, String detail, @Nullable String instance,
                               @Nullable String parameter, @Nullable List<String> accepted)
        implements OperationResponseBody {

    private static final MimeType MIME_TYPE = MimeType.valueOf("application/problem+json");

    static final String TYPE_BASE = "https://github.com/compensation/compensation/blob/main/docs/operations.md#";

    static WebEndpointResponse<Object> notFound(String id, String detail) {
        return respond(new OperationProblem(TYPE_BASE + "unknown-scope", "Unknown scope", 404, detail, id, "id", null));
    }

    static WebEndpointResponse<Object> badRequest(String parameter, String detail, List<String> accepted) {
        return respond(new OperationProblem(TYPE_BASE + "bad-request", "Invalid " + parameter, 400, detail, null,
                parameter, accepted));
    }

    static WebEndpointResponse<Object> conflict(String id, String action, String detail) {
        return respond(new OperationProblem(TYPE_BASE + "refused-action", "Cannot " + action + " this scope", 409,
                detail, id + "/" + action, null, null));
    }

    private static WebEndpointResponse<Object> respond(OperationProblem problem) {
        return new WebEndpointResponse<>(problem, problem.status(), MIME_TYPE);
    }
}
