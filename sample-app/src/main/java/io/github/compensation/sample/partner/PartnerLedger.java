package io.github.compensation.sample.partner;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The in-memory state of the three simulated partners: every reservation ever made, in the order it was made. */
@Component
public class PartnerLedger {

    private final Map<PartnerName, Map<String, Reservation>> reservations = new EnumMap<>(PartnerName.class);

    public PartnerLedger() {
        for (PartnerName name : PartnerName.values()) {
            reservations.put(name, new LinkedHashMap<>());
        }
    }

    public synchronized List<Reservation> list(PartnerName partner) {
        return List.copyOf(reservations.get(partner).values());
    }

    public synchronized Optional<Reservation> find(PartnerName partner, String reference) {
        return Optional.ofNullable(reservations.get(partner).get(reference));
    }

    synchronized Reservation save(Reservation reservation) {
        reservations.get(reservation.partner()).put(reservation.reference(), reservation);
        return reservation;
    }
}
