package io.github.compensation.spring.transaction.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "audit")
public class AuditRow {

    @Id
    private String id;

    private String note;

    protected AuditRow() {
    }

    public AuditRow(String id, String note) {
        this.id = id;
        this.note = note;
    }

    public String getId() {
        return id;
    }

    public String getNote() {
        return note;
    }
}
