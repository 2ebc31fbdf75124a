create table if not exists trips (ref varchar(64) primary key);
