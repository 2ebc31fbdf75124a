package io.github.compensation.spi;

import io.github.compensation.ScopeDefinition;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What an integration sees of one scope: its identity, its definition, attributes it may attach, and how nested scopes
 * chain together (clause N1). The engine implements it; applications only read the id, typically for logs.
 *
 * <p>Thread-safe. A scope object stays readable after it settled; registering commands in it is then refused.
 */
public interface CompensationScope {

    /**
     * The scope's unique id, as shown in reports and logs.
     *
     * @return a random UUID string
     */
    String id();

    /**
     * The scope's name, typically {@code Class.method}.
     *
     * @return the name from the scope's definition
     */
    default String name() {
        return definition().name();
    }

    /**
     * How the scope was declared: its name, which holders it offers, propagation, rollback rules and retry settings.
     *
     * @return the definition
     */
    ScopeDefinition definition();

    /**
     * An attribute attached to this scope by an integration, for example the tracing context captured when the scope
     * opened, or durable state a journal keeps per scope.
     *
     * @param name the attribute's name; use a qualified name such as a class name
     * @return the value, or {@code null} when none is set
     */
    @Nullable Object getAttribute(String name);

    /**
     * Attaches an attribute to this scope, for as long as the scope object lives.
     *
     * @param name  the attribute's name; use a qualified name such as a class name
     * @param value the value, or {@code null} to remove the attribute
     */
    void setAttribute(String name, @Nullable Object value);

    /**
     * The attribute with this name, created by {@code ifAbsent} and attached on first use: the way for an integration
     * to keep its own state on a scope (a journal's units and outbox rows, say) instead of in a map keyed by the
     * scope's id. Kept with the scope's other attributes, so a scope that nobody attaches anything to pays nothing.
     * Atomic: concurrent callers get the same value, and {@code ifAbsent} runs at most once per scope and name (under
     * the scope's lock, so keep it short).
     *
     * @param name     the attribute's name; use a qualified name such as a class name
     * @param ifAbsent makes the value when there is none yet; must not return {@code null}
     * @param <T>      the value's type, as the caller stored it
     * @return the value, existing or just made
     */
    @SuppressWarnings("unchecked")
    default <T> T attribute(String name, Supplier<? extends T> ifAbsent) {
        Objects.requireNonNull(ifAbsent, "ifAbsent must not be null");
        Object value = getAttribute(name);
        if (value == null) {
            synchronized (this) {
                value = getAttribute(name);
                if (value == null) {
                    value = Objects.requireNonNull(ifAbsent.get(), "ifAbsent must not return null");
                    setAttribute(name, value);
                }
            }
        }
        return (T) value;
    }

    /**
     * The scope this one joins when it returns normally (clause N1), or {@code null} when it settles on its own (no
     * enclosing scope, or {@link io.github.compensation.Propagation#REQUIRES_NEW}). Integrations that must follow what
     * the engine drops when a nested scope fails, such as a journal, record the chain of scopes a command depends on.
     *
     * @return the enclosing scope it joins, or {@code null}
     */
    @Nullable CompensationScope joinedScope();

    /**
     * The scope that settles the commands registered in this one when it returns normally: itself when it settles on
     * its own, otherwise the outermost scope it joins (clause N1). State kept per settled scope belongs in its
     * attributes.
     *
     * @return this scope or one that encloses it
     */
    default CompensationScope settlingScope() {
        CompensationScope scope = this;
        for (CompensationScope next = scope.joinedScope(); next != null; next = next.joinedScope()) {
            scope = next;
        }
        return scope;
    }
}
