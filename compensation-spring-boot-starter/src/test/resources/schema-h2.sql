create table booking (id int primary key, code varchar(64) not null);
create table audit (id varchar(64) primary key, note varchar(200) not null);
