create table if not exists trips (id varchar(64) primary key);
