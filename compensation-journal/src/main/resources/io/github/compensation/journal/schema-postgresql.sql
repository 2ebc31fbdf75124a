-- compensation journal, PostgreSQL. ${prefix} is replaced by the configured table prefix (default "compensation_").
create table if not exists ${prefix}unit (
    id varchar(36) primary key,
    name varchar(255) not null,
    state varchar(16) not null,
    owner varchar(100),
    lease_until timestamp not null,
    created_at timestamp not null,
    updated_at timestamp not null
);
create index if not exists ${prefix}unit_due on ${prefix}unit (state, lease_until);
create table if not exists ${prefix}marker (
    unit_id varchar(36) primary key,
    verdict char(1) not null,
    created_at timestamp not null
);
create table if not exists ${prefix}command (
    id varchar(36) primary key,
    unit_id varchar(36),
    kind varchar(16) not null,
    seq int not null,
    description varchar(500) not null,
    target_type varchar(500),
    bean_name varchar(255),
    method_name varchar(255),
    param_types varchar(2000),
    payload text,
    status varchar(16) not null,
    attempts int not null,
    next_attempt_at timestamp not null,
    owner varchar(100),
    lease_until timestamp,
    last_error varchar(2000),
    ordering_key varchar(255),
    ordering_seq bigint,
    created_at timestamp not null,
    updated_at timestamp not null
);
create index if not exists ${prefix}command_due on ${prefix}command (kind, status, next_attempt_at);
create index if not exists ${prefix}command_unit on ${prefix}command (unit_id, seq);
create index if not exists ${prefix}command_key on ${prefix}command (ordering_key, status, ordering_seq);
-- What people did to a unit or a dispatch through the operations endpoint (clause O3): who, when, what.
create table if not exists ${prefix}note (
    id varchar(36) primary key,
    scope_id varchar(36) not null,
    created_at timestamp not null,
    author varchar(255) not null,
    action varchar(16) not null,
    note varchar(2000),
    retried varchar(4000),
    scope_updated_at timestamp not null
);
create index if not exists ${prefix}note_scope on ${prefix}note (scope_id, created_at);
