package io.github.compensation.sample.web;

import io.github.compensation.ScopeReport;
import io.github.compensation.sample.report.RecentReports;
import io.github.compensation.sample.trip.PartnerException;
import io.github.compensation.sample.trip.PartnerTimeoutException;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns exceptions into problem details (RFC 9457) that carry the original exception: its class as {@code title} and
 * {@code exception}, its message as {@code detail} for the application's own exceptions (database and unexpected
 * failures get a sentence instead: their messages quote SQL and rows, which stay in the log). Compensation failures that the library attached to it with
 * {@code addSuppressed} are listed under {@code suppressed}, and {@code scope} names the report to read in
 * {@code GET /reports/{id}}.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    private final RecentReports reports;

    ProblemDetailsAdvice(RecentReports reports) {
        this.reports = reports;
    }

    @ExceptionHandler(PartnerException.class)
    ProblemDetail partner(PartnerException failure) {
        return problem(failure instanceof PartnerTimeoutException ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY,
                failure);
    }

    /**
     * A constraint of the database refused the change. Its message quotes the SQL statement and the row that was
     * there first: that is for the log, not for the caller, who gets what it means.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ProblemDetail conflict(DataIntegrityViolationException failure) {
        LOG.info("Request refused by a database constraint: {}", failure.getMessage());
        String detail = failure instanceof DuplicateKeyException
                ? "Already stored: a trip with this booking reference exists. Nothing was booked; every reservation"
                        + " made for this request was cancelled."
                : "The database refused the change (a constraint). Nothing was stored; every reservation made for"
                        + " this request was cancelled.";
        return problem(HttpStatus.CONFLICT, failure, detail);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException failure) {
        return problem(HttpStatus.BAD_REQUEST, failure);
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception failure) {
        LOG.error("Unexpected failure", failure);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, failure, "Unexpected failure; the application log has the"
                + " details.");
    }

    private ProblemDetail problem(HttpStatus status, Throwable failure) {
        return problem(status, failure, failure.getMessage());
    }

    private ProblemDetail problem(HttpStatus status, Throwable failure, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(failure.getClass().getSimpleName());
        problem.setProperty("exception", failure.getClass().getName());
        if (failure.getSuppressed().length > 0) {
            problem.setProperty("suppressed", Arrays.stream(failure.getSuppressed())
                    .map(suppressed -> Map.of("exception", suppressed.getClass().getName(),
                            "message", String.valueOf(suppressed.getMessage())))
                    .toList());
        }
        reports.endedBy(failure).map(ScopeReport::id).ifPresent(id -> problem.setProperty("scope", id));
        return problem;
    }
}
