package io.github.compensation.sample.partner;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The partner services, by the path they answer under: {@code /partners/flights} and so on. The sequential booking
 * ({@code POST /trips}) uses flights, hotels and payments; the parallel one ({@code POST /parallel-trips}) flights,
 * hotels and cars.
 */
public enum PartnerName {

    FLIGHTS("no seats left on this flight"),
    HOTELS("no rooms left for these nights"),
    PAYMENTS("card declined"),
    CARS("no cars left at this station");

    private final String refusal;

    PartnerName(String refusal) {
        this.refusal = refusal;
    }

    /** The path segment, e.g. {@code flights}. */
    public String path() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What this partner says when it refuses a reservation. */
    String refusal() {
        return refusal;
    }

    static Optional<PartnerName> fromPath(String path) {
        return Arrays.stream(values()).filter(name -> name.path().equals(path)).findFirst();
    }
}
