-- Add a foreign key to a unique (non-primary-key) column of a table in another schema.
CREATE SCHEMA billing;

CREATE TABLE billing.accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_code varchar(20) NOT NULL,
    CONSTRAINT accounts_account_code_key UNIQUE (account_code)
);

CREATE TABLE public.subscriptions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_code varchar(20) NOT NULL,
    plan text NOT NULL,
    started_on date NOT NULL
);
