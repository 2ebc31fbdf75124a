package io.github.compensation.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * A remote service on localhost for case 6c: answers every request after a fixed delay, as a reservation service
 * would. Thread-safe; close it when done.
 */
final class RemoteStub implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads;

    private RemoteStub(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * Starts the stub on a free port.
     *
     * @param delay how long each answer takes
     * @return the running stub
     * @throws IOException when no port can be opened
     */
    static RemoteStub start(Duration delay) throws IOException {
        // without TCP_NODELAY the headers and the body go out as two small segments, and the second one waits for the
        // client's delayed acknowledgement of the first (some 40 ms): the stub would answer in 40 ms, not in 2
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = "reserved".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            LockSupport.parkNanos(delay.toNanos());
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        ExecutorService threads = Executors.newFixedThreadPool(8);
        server.setExecutor(threads);
        server.start();
        return new RemoteStub(server, threads);
    }

    /** @return the stub's address */
    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/reserve");
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
