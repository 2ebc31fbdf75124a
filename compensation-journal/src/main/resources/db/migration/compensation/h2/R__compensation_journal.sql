-- compensation journal (h2): Flyway repeatable migration, also run by the Liquibase changelog
-- db/changelog/compensation/journal-changelog.yaml, and run by the journal itself with
-- compensation.journal.initialize-schema=true, which names the tables and indexes with
-- compensation.journal.table-prefix instead of the default prefix "compensation_" written here.
-- Comments go on lines of their own, and a statement ends with the line that ends with ";".
create table if not exists compensation_unit (
    id varchar(36) primary key,
    name varchar(255) not null,
    state varchar(16) not null,
    owner varchar(100),
    lease_until timestamp(6) not null,
    created_at timestamp(6) not null,
    updated_at timestamp(6) not null
);
create index if not exists compensation_unit_due on compensation_unit (state, lease_until);
create table if not exists compensation_marker (
    unit_id varchar(36) primary key,
    verdict char(1) not null,
    created_at timestamp(6) not null
);
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
    payload clob,
    status varchar(16) not null,
    attempts int not null,
    next_attempt_at timestamp(6) not null,
    owner varchar(100),
    lease_until timestamp(6),
    last_error varchar(2000),
    ordering_key varchar(255),
    ordering_seq bigint,
    created_at timestamp(6) not null,
    updated_at timestamp(6) not null
);
create index if not exists compensation_command_due on compensation_command (kind, status, next_attempt_at);
create index if not exists compensation_command_unit on compensation_command (unit_id, seq);
create index if not exists compensation_command_key on compensation_command (ordering_key, status, ordering_seq);
-- What people did to a unit or a dispatch through the operations endpoint (clause O3): who, when, what.
create table if not exists compensation_note (
    id varchar(36) primary key,
    scope_id varchar(36) not null,
    created_at timestamp(6) not null,
    author varchar(255) not null,
    action varchar(16) not null,
    note varchar(2000),
    retried varchar(4000),
    scope_updated_at timestamp(6) not null
);
create index if not exists compensation_note_scope on compensation_note (scope_id, created_at);
