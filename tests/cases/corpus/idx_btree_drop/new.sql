create table invoices (
    id serial primary key,
    number varchar(32) not null,
    issued_on date not null,
    due_on date,
    amount numeric(14,2) not null
);
create index invoices_issued_on_idx on invoices (issued_on);
