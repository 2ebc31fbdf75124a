package io.github.compensation.spring.operations;

import io.github.compensation.store.ScopeQuery;
import io.github.compensation.store.ScopeState;
import io.github.compensation.store.ScopeStore;
import io.github.compensation.store.StoredScope;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
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
 * <li>{@code POST /actuator/compensations/{id}/retry}, {@code .../resolve}, {@code .../discard}, with an optional
 * JSON body {@code {"note": "..."}}: run its failed and pending commands again, mark it resolved, or discard its
 * remaining work.</li>
 * </ul>
 *
 * Read operations answer JSON by default and the rendered text of clause H1 for {@code Accept: text/plain}. Like every
 * Actuator endpoint it is reachable over HTTP only when {@code management.endpoints.web.exposure.include} names it;
 * {@code management.endpoint.compensations.access=read-only} keeps the write operations off.
 */
@WebEndpoint(id = "compensations")
public class CompensationsEndpoint {

    private final ScopeStore store;

    /**
     * Creates the endpoint.
     *
     * @param store where the scopes are kept
     */
    public CompensationsEndpoint(ScopeStore store) {
        this.store = store;
    }

    /**
     * Lists kept scopes.
     *
     * @param format    JSON or text, from the {@code Accept} header
     * @param state     which states, see the class description; scopes needing attention when absent
     * @param olderThan only scopes that started at least this long ago
     * @param newerThan only scopes that started at most this long ago
     * @param limit     the most scopes to list, 100 when absent
     * @return the scopes, newest first
     */
    @ReadOperation(producesFrom = ScopeFormat.class)
    public WebEndpointResponse<Object> scopes(ScopeFormat format, @Nullable String state, @Nullable String olderThan,
            @Nullable String newerThan, @Nullable Integer limit) {
        ScopeQuery query;
        try {
            query = new ScopeQuery(states(state), duration("olderThan", olderThan), duration("newerThan", newerThan),
                    limit == null ? ScopeQuery.DEFAULT_LIMIT : limit);
        }
        catch (IllegalArgumentException invalid) {
            throw new InvalidEndpointRequestException(String.valueOf(invalid.getMessage()), String.valueOf(invalid.getMessage()));
        }
        List<StoredScope> scopes = store.find(query);
        if (format == ScopeFormat.TEXT) {
            String text = scopes.isEmpty() ? "no scopes\n"
                    : String.join("\n", scopes.stream().map(ScopeDescriptor::text).toList());
            return new WebEndpointResponse<>(text, format);
        }
        return new WebEndpointResponse<>(new ScopesDescriptor(scopes.stream().map(ScopeDescriptor::of).toList()),
                format);
    }

    /**
     * Shows one scope step by step.
     *
     * @param id     the scope's id
     * @param format JSON or text, from the {@code Accept} header
     * @return the scope, or 404 when it is not kept
     */
    @ReadOperation(producesFrom = ScopeFormat.class)
    public WebEndpointResponse<Object> scope(@Selector String id, ScopeFormat format) {
        return respond(store.get(id), format);
    }

    /**
     * Acts on one scope.
     *
     * @param id     the scope's id
     * @param action {@code retry}, {@code resolve} or {@code discard}
     * @param note   what the person says, kept with the scope; ignored by {@code retry}
     * @return the scope afterwards; 404 when it is not kept, 400 for an unknown action, 409 when there is nothing to
     *         retry
     */
    @WriteOperation
    public WebEndpointResponse<Object> act(@Selector String id, @Selector String action, @Nullable String note) {
        Optional<StoredScope> scope;
        try {
            scope = switch (action.toLowerCase(Locale.ROOT)) {
                case "retry", "resume" -> store.retry(id);
                case "resolve" -> store.resolve(id, note);
                case "discard" -> store.discard(id, note);
                default -> throw new InvalidEndpointRequestException("Unknown action '" + action
                        + "': use retry, resolve or discard", "unknown action");
            };
        }
        catch (IllegalStateException conflict) {
            return new WebEndpointResponse<>(Map.of("id", id, "error", String.valueOf(conflict.getMessage())), 409);
        }
        return respond(scope, ScopeFormat.JSON);
    }

    private static WebEndpointResponse<Object> respond(Optional<StoredScope> scope, ScopeFormat format) {
        if (scope.isEmpty()) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        return format == ScopeFormat.TEXT ? new WebEndpointResponse<>(ScopeDescriptor.text(scope.get()), format)
                : new WebEndpointResponse<>(ScopeDescriptor.of(scope.get()), format);
    }

    private static Set<ScopeState> states(@Nullable String state) {
        if (state == null || state.isBlank() || state.equalsIgnoreCase("attention")) {
            return EnumSet.of(ScopeState.FAILED, ScopeState.PENDING);
        }
        if (state.equalsIgnoreCase("all")) {
            return EnumSet.allOf(ScopeState.class);
        }
        Set<ScopeState> states = EnumSet.noneOf(ScopeState.class);
        for (String name : state.split(",")) {
            try {
                states.add(ScopeState.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            }
            catch (IllegalArgumentException unknown) {
                throw new IllegalArgumentException("Unknown state '" + name.trim() + "': use attention, all, or any of"
                        + " failed, pending, settled, resolved, discarded");
            }
        }
        return states;
    }

    private static @Nullable Duration duration(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return DurationStyle.detectAndParse(value.trim());
        }
        catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException("Invalid " + name + " '" + value + "': use a duration such as 10m, 2h"
                    + " or PT30M");
        }
    }
}
