CREATE TABLE accounts (
    id integer,
    holder text NOT NULL,
    opened_on date NOT NULL DEFAULT CURRENT_DATE,
    CONSTRAINT pk_accounts PRIMARY KEY (id)
);
