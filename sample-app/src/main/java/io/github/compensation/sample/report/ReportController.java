package io.github.compensation.sample.report;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /reports} lists the recent scope reports, newest first ({@code ?name=TripService.book} filters by scope
 * name, {@code ?limit=1} keeps the newest only); {@code GET /reports/{id}} shows one.
 */
@RestController
class ReportController {

    private final RecentReports reports;

    ReportController(RecentReports reports) {
        this.reports = reports;
    }

    @GetMapping("/reports")
    List<ReportView> list(@RequestParam(required = false) @Nullable String name,
            @RequestParam(defaultValue = "" + Integer.MAX_VALUE) int limit) {
        return reports.newestFirst().stream()
                .filter(report -> name == null || report.name().equals(name))
                .limit(Math.max(limit, 0))
                .map(ReportView::of)
                .toList();
    }

    @GetMapping("/reports/{id}")
    ReportView one(@PathVariable String id) {
        return reports.byId(id).map(ReportView::of).orElseThrow(() -> new ErrorResponseException(
                HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                        "No report " + id + " (only the last reports are kept)"), null));
    }
}
