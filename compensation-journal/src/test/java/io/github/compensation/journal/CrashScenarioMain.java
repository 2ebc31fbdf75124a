package io.github.compensation.journal;

import io.github.compensation.support.CompensationTemplate;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs in a child JVM that the test kills with SIGKILL once it prints "POINT ...": one scope (or one recovery) stopped
 * dead at a chosen moment. Arguments: JDBC URL, user, password, table prefix, scenario.
 */
public final class CrashScenarioMain {

    private CrashScenarioMain() {
    }

    public static void main(String[] args) {
        String url = args[0];
        String prefix = args[3];
        String scenario = args[4];
        JournalFixture fixture = new JournalFixture(TestDatabases.pool(url, args[1], args[2], 4), prefix);
        DbRemote remote = new DbRemote(fixture.dataSource, prefix);
        fixture.bean("remote", remote);
        Journal journal = fixture.journal("child-" + scenario);
        CompensationTemplate template = fixture.template(journal);
        DurableRollbackCommands rollback = JournalCommands.rollback(journal);
        DurableDispatchCommands dispatch = JournalCommands.dispatch(journal);
        switch (scenario) {
            case "before-commit" -> template.execute("Trips.book", () -> fixture.tx.execute(status -> {
                fixture.jdbc.update("insert into " + prefix + "business (id) values ('s1')");
                remote.reserve("s1");
                rollback.append(DbRemote.class).cancel("s1");
                dispatch.append(DbRemote.class).publish("booked s1");
                point("after a side effect, before commit");
                return null;
            }));
            case "after-commit" -> template.execute("Trips.book", () -> fixture.tx.execute(status -> {
                fixture.jdbc.update("insert into " + prefix + "business (id) values ('s2')");
                remote.reserve("s2");
                rollback.append(DbRemote.class).cancel("s2");
                dispatch.append(DbRemote.class).publish("booked s2");
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        point("after commit, before dispatch");
                    }
                });
                return null;
            }));
            case "before-settlement" -> {
                // as with a running worker: the scope leaves its settlement to the worker's batch, never written here
                journal.settleInBackground(true);
                template.execute("Trips.book", () -> fixture.tx.execute(status -> {
                    fixture.jdbc.update("insert into " + prefix + "business (id) values ('s3')");
                    remote.reserve("s3");
                    rollback.append(DbRemote.class).cancel("s3");
                    dispatch.append(DbRemote.class).publish("booked s3");
                    return null;
                }));
                point("delivered after commit, settlement left to the worker's batch");
            }
            case "mid-compensation" -> {
                remote.blockAfter = "cancel m2";
                template.execute("Trips.book", () -> fixture.tx.execute(status -> {
                    fixture.jdbc.update("insert into " + prefix + "business (id) values ('m1')");
                    remote.reserve("m1");
                    rollback.append(DbRemote.class).cancel("m1");
                    remote.reserve("m2");
                    rollback.append(DbRemote.class).cancel("m2");
                    throw new IllegalStateException("payment declined");
                }));
            }
            case "recovery" -> {
                remote.blockAfter = "cancel s1";
                Journal recoverer = fixture.journal("child-recoverer", Clock.offset(Clock.systemUTC(),
                        Duration.ofHours(1)), UnaryOperator.identity());
                recoverer.recoverDue();
            }
            case "group-commit" -> appendFromEightThreads(template, rollback);
            default -> throw new IllegalArgumentException(scenario);
        }
        System.out.println("FINISHED without reaching the crash point");
        System.exit(3);
    }

    /**
     * Eight threads register durable compensations as fast as they can, in scopes of three, printing each one's
     * payload once its {@code append} returned; the crash point comes once 200 have, while the threads go on, so that
     * the kill lands while a group of write-aheads is being written.
     */
    private static void appendFromEightThreads(CompensationTemplate template, DurableRollbackCommands rollback) {
        java.util.concurrent.atomic.AtomicInteger appended = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch enough = new java.util.concurrent.CountDownLatch(1);
        for (int thread = 0; thread < 8; thread++) {
            String name = "g" + thread + "-";
            Thread worker = new Thread(() -> {
                for (int scope = 0; ; scope++) {
                    String prefix = name + scope + "-";
                    template.execute("Trips.book", () -> {
                        for (int i = 0; i < 3; i++) {
                            rollback.append(DbRemote.class).cancel(prefix + i);
                            System.out.println("APPENDED " + prefix + i);
                            if (appended.incrementAndGet() == 200) {
                                enough.countDown();
                            }
                        }
                        return null;
                    });
                }
            });
            worker.setDaemon(true);
            worker.start();
        }
        try {
            enough.await();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        point("200 appends returned, eight threads still appending");
    }

    static void point(String what) {
        System.out.println("POINT " + what);
        System.out.flush();
        DbRemote.blockForever();
    }
}
