package io.github.compensation.spring.operations;

import io.github.compensation.store.ScopeQuery;
import io.github.compensation.store.ScopeState;
import io.github.compensation.store.ScopeStore;
import io.github.compensation.store.StoredScope;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import io.github.compensation.store.RefusedActionException;
import java.security.Principal;
import java.util.regex.Pattern;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.convert.DurationStyle;

/**
 * The {@code compensations} Actuator endpoint (clause O1): which scopes need a person, what happened in one of them,
 * step by step, and the actions a person takes on it. It reads and acts through a {@link ScopeStore}: in memory by
 * default, the journal when one is configured.
 *
 * <ul>
 * <li>{@code GET /actuator/compensations}: scopes needing attention, newest first; query parameters {@code state}
 * ({@code attention}, the default, {@code all}, or a comma-separated list of {@code failed}, {@code pending},
 * {@code settled}, {@code resolved}, {@code discarded}), {@code olderThan} and {@code newerThan} (age since the scope
 * started, as {@code 10m} or {@code PT10M}) and {@code limit} (default 100).</li>
 * <li>{@code GET /actuator/compensations/{id}}: one scope.</li>
 * <li>{@code POST /actuator/compensations/{id}/retry} (or {@code resume}), {@code .../resolve}, {@code .../discard},
 * {@code .../note}, with an optional JSON body {@code {"note": "...", "by": "..."}}: run its failed and pending
 * commands again, mark it resolved, discard its remaining work, or only add a note. Every action is kept in the
 * scope's history with who and when (clause O3).</li>
 * </ul>
 *
 * <p>What it cannot do is answered with an RFC 9457 problem detail ({@code application/problem+json}) that says why
 * (clause O3): {@code 404} for a malformed or unknown id, {@code 400} for a filter it cannot read (naming the
 * parameter and what it accepts) or an unknown action, {@code 409} for an action that does not apply, such as
 * resolving or discarding a scope that needs nobody; nothing changes then.
 *
 * <p>Read operations answer JSON by default, the rendered text of clause H1 for {@code Accept: text/plain}, and, when
 * enabled ({@code compensation.operations.page.enabled=true}), the operator page of clause O4 for
 * {@code Accept: text/html}: a browser opening {@code /actuator/compensations} gets the page, which then calls these
 * same operations. Like every
 * Actuator endpoint it is reachable over HTTP only when {@code management.endpoints.web.exposure.include} names it;
 * {@code management.endpoint.compensations.access=read-only} keeps the write operations off.
 */
@WebEndpoint(id = "compensations")
public class CompensationsEndpoint {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static final List<String> STATES = List.of("attention", "all", "failed", "pending", "settled", "resolved",
            "discarded");

    private static final List<String> ACTIONS = List.of("retry", "resume", "resolve", "discard", "note");

    private static final String ANONYMOUS = "anonymous";

    private final ScopeStore store;

    private final @Nullable OperatorPage page;

    /**
     * Creates the endpoint without the operator page.
     *
     * @param store where the scopes are kept
     */
    public CompensationsEndpoint(ScopeStore store) {
        this(store, false);
    }

    /**
     * Creates the endpoint.
     *
     * @param store       where the scopes are kept
     * @param pageEnabled whether to answer {@code Accept: text/html} with the operator page (clause O4) instead of JSON
     */
    public CompensationsEndpoint(ScopeStore store, boolean pageEnabled) {
        this.store = store;
        this.page = pageEnabled ? OperatorPage.load() : null;
    }

    /**
     * Lists kept scopes.
     *
     * @param format    JSON or text, from the {@code Accept} header
     * @param state     which states, see the class description; scopes needing attention when absent
     * @param olderThan only scopes that started at least this long ago
     * @param newerThan only scopes that started at most this long ago
     * @param limit     the most scopes to list, 100 when absent
     * @return the scopes, newest first; a {@code 400} problem detail naming the parameter it cannot read
     */
    @ReadOperation(producesFrom = ScopeFormat.class)
    public WebEndpointResponse<Object> scopes(ScopeFormat format, @Nullable String state, @Nullable String olderThan,
            @Nullable String newerThan, @Nullable String limit) {
        if (format == ScopeFormat.HTML && page != null) {
            return new WebEndpointResponse<>(page.html(), format);
        }
        Set<ScopeState> states = states(state);
        if (states == null) {
            return OperationProblem.badRequest("state", "Unknown state '" + state + "': use attention (the default),"
                    + " all, or a comma-separated list of failed, pending, settled, resolved, discarded", STATES);
        }
        Duration minAge = duration(olderThan);
        if (minAge == null && olderThan != null && !olderThan.isBlank()) {
            return badDuration("olderThan", olderThan);
        }
        Duration maxAge = duration(newerThan);
        if (maxAge == null && newerThan != null && !newerThan.isBlank()) {
            return badDuration("newerThan", newerThan);
        }
        int max = ScopeQuery.DEFAULT_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                max = Integer.parseInt(limit.trim());
            }
            catch (NumberFormatException notANumber) {
                max = 0;
            }
            if (max < 1) {
                return OperationProblem.badRequest("limit", "Invalid limit '" + limit + "': use a whole number from 1"
                        + " (default " + ScopeQuery.DEFAULT_LIMIT + ")", List.of("1", "2", "..."));
            }
        }
        List<StoredScope> scopes = store.find(new ScopeQuery(states, minAge, maxAge, max));
        if (format == ScopeFormat.TEXT) {
            String text = scopes.isEmpty() ? "no scopes\n"
                    : String.join("\n", scopes.stream().map(ScopeDescriptor::text).toList());
            return new WebEndpointResponse<>(text, format);
        }
        return new WebEndpointResponse<>(new ScopesDescriptor(scopes.stream().map(ScopeDescriptor::of).toList()),
                json(format));
    }

    /**
     * Shows one scope step by step.
     *
     * @param id     the scope's id
     * @param format JSON or text, from the {@code Accept} header
     * @return the scope, or a {@code 404} problem detail when the id is malformed or not kept
     */
    @ReadOperation(producesFrom = ScopeFormat.class)
    public WebEndpointResponse<Object> scope(@Selector String id, ScopeFormat format) {
        if (format == ScopeFormat.HTML && page != null) {
            return new WebEndpointResponse<>(page.html(), format);
        }
        if (!UUID.matcher(id).matches()) {
            return malformed(id);
        }
        Optional<StoredScope> scope = store.get(id);
        if (scope.isEmpty()) {
            return unknown(id);
        }
        return format == ScopeFormat.TEXT ? new WebEndpointResponse<>(ScopeDescriptor.text(scope.get()), format)
                : new WebEndpointResponse<>(ScopeDescriptor.of(scope.get()), json(format));
    }

    /**
     * Acts on one scope. Who acts is the authenticated user's name; without authentication, {@code by} from the body,
     * or {@code anonymous}.
     *
     * @param id       the scope's id
     * @param action   {@code retry} (or {@code resume}), {@code resolve}, {@code discard} or {@code note}
     * @param note     what the person says, kept in the scope's history; required by {@code note}
     * @param by       who acts, when nobody is authenticated
     * @param security the request's security context
     * @return the scope afterwards; a problem detail otherwise: {@code 404} when the id is malformed or not kept,
     *         {@code 400} for an unknown action or a note without text, {@code 409} when the action does not apply
     */
    @WriteOperation
    public WebEndpointResponse<Object> act(@Selector String id, @Selector String action, @Nullable String note,
            @Nullable String by, SecurityContext security) {
        String verb = action.toLowerCase(Locale.ROOT);
        if (!ACTIONS.contains(verb)) {
            return OperationProblem.badRequest("action", "Unknown action '" + action + "': use retry, resume,"
                    + " resolve, discard or note", ACTIONS);
        }
        if (!UUID.matcher(id).matches()) {
            return malformed(id);
        }
        String text = note == null || note.isBlank() ? null : note.strip();
        if (verb.equals("note") && text == null) {
            return OperationProblem.badRequest("note", "A note needs text: send {\"note\": \"...\"}", List.of());
        }
        String who = who(security, by);
        Optional<StoredScope> scope;
        try {
            scope = switch (verb) {
                case "retry", "resume" -> store.retry(id, who, text);
                case "resolve" -> store.resolve(id, who, text);
                case "discard" -> store.discard(id, who, text);
                default -> store.note(id, who, nonNull(text));
            };
        }
        catch (RefusedActionException refused) {
            return OperationProblem.conflict(id, String.valueOf(refused.getMessage()));
        }
        if (scope.isEmpty()) {
            return unknown(id);
        }
        return new WebEndpointResponse<>(ScopeDescriptor.of(scope.get()), ScopeFormat.JSON);
    }

    /** JSON in the format asked for, or plain JSON when the page was asked for but is off. */
    private static ScopeFormat json(ScopeFormat format) {
        return format == ScopeFormat.HTML ? ScopeFormat.JSON : format;
    }

    private static String nonNull(@Nullable String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        return text;
    }

    private static String who(SecurityContext security, @Nullable String by) {
        Principal principal = security.getPrincipal();
        if (principal != null && principal.getName() != null && !principal.getName().isBlank()) {
            return principal.getName();
        }
        return by == null || by.isBlank() ? ANONYMOUS : by.strip();
    }

    private static WebEndpointResponse<Object> malformed(String id) {
        return OperationProblem.notFound(id, "'" + id + "' is not a scope id: scope ids are UUIDs, as in"
                + " 6453a1cb-811c-45da-8592-6cd90d6022ac (the log block and GET /actuator/compensations show them)");
    }

    private static WebEndpointResponse<Object> unknown(String id) {
        return OperationProblem.notFound(id, "No scope " + id + " is kept: it never existed here, or it is no longer"
                + " kept (in memory: only the most recent scopes that need nobody are kept, and nothing survives a"
                + " restart)");
    }

    private static WebEndpointResponse<Object> badDuration(String parameter, String value) {
        return OperationProblem.badRequest(parameter, "Invalid " + parameter + " '" + value + "': use a duration"
                + " such as 10m, 2h or PT30M", List.of("10s", "10m", "2h", "1d", "PT30M"));
    }

    /** The states asked for; {@code null} when one of them is unknown. */
    private static @Nullable Set<ScopeState> states(@Nullable String state) {
        if (state == null || state.isBlank() || state.trim().equalsIgnoreCase("attention")) {
            return EnumSet.of(ScopeState.FAILED, ScopeState.PENDING);
        }
        if (state.trim().equalsIgnoreCase("all")) {
            return EnumSet.allOf(ScopeState.class);
        }
        Set<ScopeState> states = EnumSet.noneOf(ScopeState.class);
        for (String name : state.split(",")) {
            String upper = name.trim().toUpperCase(Locale.ROOT);
            if (upper.equals("ATTENTION")) {
                states.addAll(EnumSet.of(ScopeState.FAILED, ScopeState.PENDING));
                continue;
            }
            try {
                states.add(ScopeState.valueOf(upper));
            }
            catch (IllegalArgumentException unknown) {
                return null;
            }
        }
        return states;
    }

    /** The duration, or {@code null} when absent or unreadable; negative durations are unreadable. */
    private static @Nullable Duration duration(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Duration duration = DurationStyle.detectAndParse(value.trim());
            return duration.isNegative() ? null : duration;
        }
        catch (IllegalArgumentException invalid) {
            return null;
        }
    }
}
