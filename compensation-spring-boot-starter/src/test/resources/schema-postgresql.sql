-- The unique code is checked at commit, so that a commit can fail after every statement succeeded.
create table booking (id int primary key, code varchar(64) not null,
    constraint booking_code_unique unique (code) deferrable initially deferred);
create table audit (id varchar(64) primary key, note varchar(200) not null);
