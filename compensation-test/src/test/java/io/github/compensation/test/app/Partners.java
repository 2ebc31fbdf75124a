package io.github.compensation.test.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;

/** Stands for remote partners: records every call, for tests to read back by booking reference. */
@Component
public class Partners {

    private final List<String> calls = new CopyOnWriteArrayList<>();

    public void reserve(String what) {
        calls.add("reserve " + what);
    }

    public void cancel(String what) {
        calls.add("cancel " + what);
    }

    public void publish(String event) {
        calls.add("publish " + event);
    }

    /** The calls whose text contains {@code ref}, in the order they were made. */
    public List<String> callsAbout(String ref) {
        return calls.stream().filter(call -> call.contains(ref)).toList();
    }
}
