package io.github.compensation.spring.transaction.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "booking")
public class BookingRow {

    @Id
    private Integer id;

    private String code;

    protected BookingRow() {
    }

    public BookingRow(int id, String code) {
        this.id = id;
        this.code = code;
    }

    public Integer getId() {
        return id;
    }

    public String getCode() {
        return code;
    }
}
