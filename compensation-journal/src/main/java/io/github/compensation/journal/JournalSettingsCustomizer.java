package io.github.compensation.journal;

import org.jspecify.annotations.Nullable;

/**
 * Adjusts the settings the auto-configured {@link Journal} is built with, after {@code compensation.journal.*} was
 * bound: how a module that builds on the journal contributes a setting of its own, such as
 * {@code compensation.messaging.dead-message-blocks-key}. Beans of this type are applied in their order.
 */
@FunctionalInterface
public interface JournalSettingsCustomizer {

    /**
     * @param settings the settings so far
     * @return the settings to use; {@code null} leaves them as they were
     */
    @Nullable JournalSettings customize(JournalSettings settings);
}
