package io.github.compensation.journal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A remote system the database cannot roll back: it counts every call, and can be told to fail some. */
public class Remote {

    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final List<String> keys = new CopyOnWriteArrayList<>();
    volatile Predicate<String> failing = call -> false;

    public void reserve(String id) {
        count("reserve " + id);
    }

    public void cancel(String id) {
        call("cancel " + id);
    }

    public void publish(String event) {
        call("publish " + event);
    }

    private void call(String call) {
        String key = IdempotencyKey.current();
        keys.add(call + " key=" + key);
        if (failing.test(call)) {
            throw new IllegalStateException("remote refused " + call);
        }
        count(call);
    }

    private void count(String call) {
        calls.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
    }

    int count(String call, String id) {
        AtomicInteger count = calls.get(call + " " + id);
        return count == null ? 0 : count.get();
    }
}
