package io.github.compensation.spring.operations;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.util.MimeType;

/**
 * A problem detail (RFC 9457) the {@code compensations} endpoint answers with when it refuses a request (clause O3):
 * an unknown or malformed scope id ({@code 404}), a filter it cannot read or an unknown action ({@code 400}), an action
 * that does not apply to the scope ({@code 409}). Sent as {@code application/problem+json}, with type
 * {@code about:blank} (the status says what kind of problem it is) and the reason in {@code detail}. Immutable.
 *
 * @param type      always {@code about:blank}
 * @param title     the status's reason phrase
 * @param status    the HTTP status
 * @param detail    what is wrong with this request, and what to do instead
 * @param scopeId   the scope the request named, or {@code null}
 * @param parameter the query parameter or path segment at fault, or {@code null}
 * @param accepted  the values that parameter accepts, or {@code null}
 */
public record OperationProblem(String type, String title, int status, String detail, @Nullable String scopeId,
                               @Nullable String parameter, @Nullable List<String> accepted)
        implements OperationResponseBody {

    private static final MimeType MIME_TYPE = MimeType.valueOf("application/problem+json");

    private static final String BLANK = "about:blank";

    static WebEndpointResponse<Object> notFound(String id, String detail) {
        return respond(new OperationProblem(BLANK, "Not Found", 404, detail, id, "id", null));
    }

    static WebEndpointResponse<Object> badRequest(String parameter, String detail, List<String> accepted) {
        return respond(new OperationProblem(BLANK, "Bad Request", 400, detail, null, parameter, accepted));
    }

    static WebEndpointResponse<Object> conflict(String id, String detail) {
        return respond(new OperationProblem(BLANK, "Conflict", 409, detail, id, null, null));
    }

    private static WebEndpointResponse<Object> respond(OperationProblem problem) {
        return new WebEndpointResponse<>(problem, problem.status(), MIME_TYPE);
    }
}
