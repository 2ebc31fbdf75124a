package io.github.compensation.spring.operations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The operator page (clause O4): one HTML document with its CSS and a little JavaScript inlined, shipped in the jar
 * and served by the {@code compensations} endpoint itself for {@code Accept: text/html}, so that it sits behind the
 * very same exposure, access and security rules. Everything it shows and does goes through the endpoint's JSON
 * operations, from the browser, with the browser's credentials. Immutable and thread-safe.
 */
final class OperatorPage {

    private static final String LOCATION = "io/github/compensation/spring/operations/";

    private final String html;

    private OperatorPage(String html) {
        this.html = html;
    }

    /**
     * Reads the page from the class path once.
     *
     * @return the page
     * @throws UncheckedIOException when a part of it is missing from the jar
     */
    static OperatorPage load() {
        String page = read("page.html");
        return new OperatorPage(page.replace("/*CSS*/", read("page.css")).replace("/*JS*/", read("page.js")));
    }

    /**
     * The document.
     *
     * @return the HTML
     */
    String html() {
        return html;
    }

    private static String read(String name) {
        try (InputStream in = OperatorPage.class.getClassLoader().getResourceAsStream(LOCATION + name)) {
            if (in == null) {
                throw new IOException("missing class path resource " + LOCATION + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException failure) {
            throw new UncheckedIOException("Cannot read the operator page", failure);
        }
    }
}
