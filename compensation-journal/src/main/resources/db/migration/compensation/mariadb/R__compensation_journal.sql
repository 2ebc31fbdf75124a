-- compensation journal (mariadb): Flyway repeatable migration, also run by the Liquibase changelog
-- db/changelog/compensation/journal-changelog.yaml, and run by the journal itself with
-- compensation.journal.initialize-schema=true, which names the tables and indexes with
-- compensation.journal.table-prefix instead of the default prefix "compensation_" written here.
-- MariaDB 10.6+ and MySQL 8+ (InnoDB; SKIP LOCKED needs these versions). Indexes are inline so that the
-- script stays re-runnable on MySQL, which has no CREATE INDEX IF NOT EXISTS.
-- Comments go on lines of their own, and a statement ends with the line that ends with ";".
create table if not exists compensation_unit (
    id varchar(36) primary key,
    name varchar(255) not null,
    state varchar(16) not null,
    owner varchar(100),
    lease_until datetime(6) not null,
    created_at datetime(6) not null,
    updated_at datetime(6) not null,
    key compensation_unit_due (state, lease_until)
) engine = InnoDB;
create table if not exists compensation_marker (
    unit_id varchar(36) primary key,
    verdict char(1) not null,
    created_at datetime(6) not null
) engine = InnoDB;
create table if not exists compensation_command (
    id varchar(36) primary key,
    unit_id varchar(36),
    kind varchar(16) not null,
    seq int not null,
    description varchar(500) not null,
    target_type varchar(500),
    bean_name varchar(255),
    method_name varchar(255),
    param_types varchar(2000),
    payload longtext,
    status varchar(16) not null,
    attempts int not null,
    next_attempt_at datetime(6) not null,
    owner varchar(100),
    lease_until datetime(6),
    last_error varchar(2000),
    ordering_key varchar(255),
    ordering_seq bigint,
    created_at datetime(6) not null,
    updated_at datetime(6) not null,
    key compensation_command_due (kind, status, next_attempt_at),
    key compensation_command_unit (unit_id, seq),
    key compensation_command_key (ordering_key, status, ordering_seq)
) engine = InnoDB;
-- What people did to a unit or a dispatch through the operations endpoint (clause O3): who, when, what.
create table if not exists compensation_note (
    id varchar(36) primary key,
    scope_id varchar(36) not null,
    created_at datetime(6) not null,
    author varchar(255) not null,
    action varchar(16) not null,
    note varchar(2000),
    retried varchar(4000),
    scope_updated_at datetime(6) not null,
    key compensation_note_scope (scope_id, created_at)
) engine = InnoDB;
