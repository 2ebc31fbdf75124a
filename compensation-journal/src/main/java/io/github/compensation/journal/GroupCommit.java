package io.github.compensation.journal;

import io.github.compensation.journal.JournalConnections.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Lets the write-aheads of concurrent threads share one commit (J2). A thread that finds no write in progress writes
 * its own rows, together with those of every thread that queued meanwhile, as one unit of work; threads that arrive
 * while a write is in progress queue and wait. Every caller returns only once its rows are committed, or throws, so
 * {@code append} still returns only after its compensation is in the database. When a shared write fails, each of its
 * members is written again on its own, so that one caller's failure is never another's. Thread-safe.
 */
final class GroupCommit {

    private final Consumer<List<Write>> writer;
    private final Object lock = new Object();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong members = new AtomicLong();
    private List<Member> queue = new ArrayList<>();
    private boolean writing;

    /** @param writer writes a list of statements all or nothing, committed before it returns */
    GroupCommit(Consumer<List<Write>> writer) {
        this.writer = writer;
    }

    /** One caller's rows and, once written, their fate. */
    private static final class Member {
        final List<Write> writes;
        boolean done;
        @Nullable RuntimeException failure;

        Member(List<Write> writes) {
            this.writes = writes;
        }
    }

    /**
     * Writes the rows, possibly in one commit with other threads' rows.
     *
     * @param writes this caller's statements, all or nothing
     */
    void write(List<Write> writes) {
        Member mine = new Member(writes);
        List<Member> group;
        boolean interrupted = false;
        synchronized (lock) {
            queue.add(mine);
            while (writing && !mine.done) {
                try {
                    lock.wait();
                }
                catch (InterruptedException interruption) {
                    // the rows may already be part of a group being written: wait for its end all the same
                    interrupted = true;
                }
            }
            if (!mine.done) {
                writing = true;
                group = queue;
                queue = new ArrayList<>();
            }
            else {
                group = List.of();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!group.isEmpty()) {
            lead(group);
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
    }

    private void lead(List<Member> group) {
        try {
            writeGroup(group);
        }
        finally {
            synchronized (lock) {
                group.forEach(member -> member.done = true);
                writing = false;
                lock.notifyAll();
            }
        }
    }

    private void writeGroup(List<Member> group) {
        List<Write> all = new ArrayList<>();
        group.forEach(member -> all.addAll(member.writes));
        try {
            writer.accept(all);
            commits.incrementAndGet();
            members.addAndGet(group.size());
            return;
        }
        catch (RuntimeException failure) {
            if (group.size() == 1) {
                group.get(0).failure = failure;
                return;
            }
        }
        for (Member member : group) {
            try {
                writer.accept(member.writes);
                commits.incrementAndGet();
                members.incrementAndGet();
            }
            catch (RuntimeException failure) {
                member.failure = failure;
            }
        }
    }

    /** @return commits made so far, for tests and diagnostics */
    long commits() {
        return commits.get();
    }

    /** @return callers whose rows were committed so far; more than {@link #commits()} when groups formed */
    long members() {
        return members.get();
    }
}
