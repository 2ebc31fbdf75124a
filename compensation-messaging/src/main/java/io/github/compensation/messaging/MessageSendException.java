package io.github.compensation.messaging;

/**
 * A message the broker did not acknowledge: it refused it, returned it as unroutable, could not be reached, or did not
 * answer within the send timeout. Recorded as the dispatch command's error in the scope's report (clause D3); the cause,
 * when there is one, is the client's own exception.
 */
public class MessageSendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * A failure with no underlying exception, such as a returned message or a timeout.
     *
     * @param message what happened
     */
    public MessageSendException(String message) {
        super(message);
    }

    /**
     * A failure caused by the client's exception.
     *
     * @param message what happened
     * @param cause   the client's exception
     */
    public MessageSendException(String message, Throwable cause) {
        super(message, cause);
    }
}
