package io.github.compensation.spring.transaction.jpa;

import org.springframework.data.jpa.repository.JpaRepository;

public interface BookingRepository extends JpaRepository<BookingRow, Integer> {
}
