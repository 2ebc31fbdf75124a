package io.github.compensation.journal;

import io.github.compensation.journal.JournalEntry.Status;
import io.github.compensation.journal.JournalUnit.State;
import org.jspecify.annotations.Nullable;

/**
 * What a person does with journaled work that needs one (O1, T3, J3): re-trigger it, settle an unknown outcome from
 * the marker, mark it resolved or discard it, keeping the person's note. Thread-safe.
 */
final class OperatorActions {

    private final JournalContext context;
    private final Recovery recovery;

    OperatorActions(JournalContext context, Recovery recovery) {
        this.context = context;
        this.recovery = recovery;
    }

    /**
     * Puts a dead dispatch or a failed or parked compensation back to waiting, due now, with fresh attempts
     * (J3: re-triggerable).
     *
     * @param commandId the command's id
     * @return whether it was re-triggered
     */
    boolean retrigger(String commandId) {
        return context.store.retrigger(commandId, context.now()) > 0;
    }

    /**
     * Settles a unit kept with an unknown outcome (T3) by its marker: if its business transaction committed it is
     * closed, otherwise the transaction is fenced off for good and the compensations run.
     *
     * @param unitId the unit's id, as logged
     * @return the unit's state afterwards
     */
    @Nullable State resolveUnknown(String unitId) {
        if (context.store.unitState(unitId) != State.UNKNOWN) {
            throw new IllegalStateException("Unit " + unitId + " is not waiting with an unknown outcome");
        }
        context.store.setUnitState(unitId, State.ABORTED, context.now(), context.now());
        recovery.recoverUnit(unitId);
        return context.store.unitState(unitId);
    }

    /**
     * Marks a unit that needs a person ({@code FAILED}, or {@code UNKNOWN}) or a dead dispatch resolved: a person saw
     * to it (O1, T3). Nothing runs: the unit becomes {@code RESOLVED} and its compensations that did not run, like the
     * dispatch, take status {@link Status#RESOLVED}, the person's note kept in front of their last error.
     *
     * @param id   a unit's id or a dispatch's id
     * @param note what the person said, or {@code null}
     * @return whether it needed a person and is now resolved; {@code false} when it is unknown or did not need one
     */
    boolean markResolved(String id, @Nullable String note) {
        return closeByPerson(id, State.RESOLVED, Status.RESOLVED, "resolved by a person", note);
    }

    /**
     * Discards what a unit that needs a person ({@code FAILED}, or {@code UNKNOWN}) or a dead dispatch left undone: it
     * stays undone on purpose (O1, T3). Nothing runs: the unit becomes {@code ABANDONED} and its compensations that did
     * not run, like the dispatch, take status {@link Status#DISCARDED}, the person's note kept in front
     * of their last error.
     *
     * @param id   a unit's id or a dispatch's id
     * @param note what the person said, or {@code null}
     * @return whether it needed a person and is now discarded; {@code false} when it is unknown or did not need one
     */
    boolean markDiscarded(String id, @Nullable String note) {
        return closeByPerson(id, State.ABANDONED, Status.DISCARDED, "discarded by a person", note);
    }

    private boolean closeByPerson(String id, State unitState, Status commandStatus, String action,
            @Nullable String note) {
        String text = note == null || note.isBlank() ? action : action + ": " + note;
        return context.store.closeUnitByPerson(id, unitState, commandStatus, text, context.now())
                || context.store.closeDispatchByPerson(id, commandStatus, text, context.now());
    }

}
