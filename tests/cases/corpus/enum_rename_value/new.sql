create type invoice_status as enum ('draft', 'sent', 'paid', 'void');

create table invoices (
    id bigint generated always as identity primary key,
    number text not null unique,
    status invoice_status not null default 'draft'
);
