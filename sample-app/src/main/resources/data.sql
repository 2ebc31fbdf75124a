-- Customers for the batch POST /batch/suspend-overdue. Invoices due in 2020 are overdue; 2999 is not yet due.
insert into customers (id, name) values (1, 'Ana Lima');
insert into customers (id, name) values (2, 'Bruno Souza');
insert into customers (id, name) values (3, 'Carla Dias');
insert into customers (id, name) values (4, 'Davi Rocha');
insert into customers (id, name) values (5, 'Eva Martins');

insert into invoices (id, customer_id, due_date, amount, paid, dunning_level) values (101, 1, '2020-01-31', 120.00, false, 0);
insert into invoices (id, customer_id, due_date, amount, paid, dunning_level) values (102, 2, '2020-02-29', 80.00, false, 1);
-- Carla paid her old invoice and the new one is not due: she is not overdue.
insert into invoices (id, customer_id, due_date, amount, paid, dunning_level) values (103, 3, '2020-01-31', 95.00, true, 0);
insert into invoices (id, customer_id, due_date, amount, paid, dunning_level) values (104, 3, '2999-12-31', 95.00, false, 0);
-- Davi's overdue invoice is already at the last dunning level: escalating it violates invoices_dunning_level_max,
-- after his customer row was already updated. His transaction must roll back alone; the others go on.
insert into invoices (id, customer_id, due_date, amount, paid, dunning_level) values (105, 4, '2020-03-31', 300.00, false, 3);
insert into invoices (id, customer_id, due_date, amount, paid, dunning_level) values (106, 5, '2020-04-30', 45.00, false, 0);
