package io.github.compensation.spring.operations;

import org.springframework.boot.actuate.endpoint.Producible;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * The representations the {@code compensations} endpoint's read operations produce, chosen by Actuator from the
 * request's {@code Accept} header: JSON by default, the rendered text blocks of clause H1 for {@code text/plain},
 * and the operator page for {@code text/html} when it is enabled.
 */
public enum ScopeFormat implements Producible<ScopeFormat> {

    /** The rendered blocks, as the log shows them ({@code Accept: text/plain}). */
    TEXT(MimeTypeUtils.TEXT_PLAIN),

    /** JSON ({@code Accept: application/json}, or no preference). */
    JSON(MimeTypeUtils.APPLICATION_JSON) {
        @Override
        public boolean isDefault() {
            return true;
        }
    },

    /**
     * The operator page ({@code Accept: text/html}, as a browser sends), when it is enabled; JSON otherwise (clause
     * O4).
     */
    HTML(MimeTypeUtils.TEXT_HTML),

    /** JSON under Actuator's own media type ({@code Accept: application/vnd.spring-boot.actuator.v3+json}). */
    ACTUATOR_JSON(MimeType.valueOf("application/vnd.spring-boot.actuator.v3+json"));

    private final MimeType mimeType;

    ScopeFormat(MimeType mimeType) {
        this.mimeType = mimeType;
    }

    @Override
    public MimeType getProducedMimeType() {
        return mimeType;
    }
}
