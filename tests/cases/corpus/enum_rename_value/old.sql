-- Rename an enum label that is also the column default (ALTER TYPE ... RENAME VALUE).
create type invoice_status as enum ('draft', 'sent', 'payed', 'void');

create table invoices (
    id bigint generated always as identity primary key,
    number text not null unique,
    status invoice_status not null default 'draft'
);
