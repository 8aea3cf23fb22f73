-- Drop two btree indexes that turned out to be unused, keep a third.
create table invoices (
    id serial primary key,
    number varchar(32) not null,
    issued_on date not null,
    due_on date,
    amount numeric(14,2) not null
);
create index invoices_issued_on_idx on invoices (issued_on);
create index invoices_due_on_idx on invoices (due_on);
create index invoices_amount_idx on invoices using btree (amount);
