-- Give an inline primary key (default name accounts_pkey) an explicit name with CONSTRAINT pk_accounts.
CREATE TABLE accounts (
    id integer PRIMARY KEY,
    holder text NOT NULL,
    opened_on date NOT NULL DEFAULT CURRENT_DATE
);
