package io.github.compensation.messaging.journal;

import io.github.compensation.journal.JournalSettings;
import io.github.compensation.journal.JournalSettingsCustomizer;

/**
 * Applies the messaging settings that the journal carries out: whether a dead message blocks its key
 * ({@code compensation.messaging.dead-message-blocks-key}, clause M2). Immutable.
 */
public final class MessagingJournalSettings implements JournalSettingsCustomizer {

    private final boolean deadMessageBlocksKey;

    /**
     * @param deadMessageBlocksKey whether a dead message keeps the later messages of its key waiting until a person
     *                             retries or resolves it
     */
    public MessagingJournalSettings(boolean deadMessageBlocksKey) {
        this.deadMessageBlocksKey = deadMessageBlocksKey;
    }

    @Override
    public JournalSettings customize(JournalSettings settings) {
        return settings.withDeadDispatchBlocksKey(deadMessageBlocksKey);
    }
}
