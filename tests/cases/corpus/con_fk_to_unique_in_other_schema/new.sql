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

ALTER TABLE public.subscriptions
    ADD CONSTRAINT subscriptions_account_code_fkey FOREIGN KEY (account_code)
    REFERENCES billing.accounts (account_code) ON UPDATE CASCADE;
