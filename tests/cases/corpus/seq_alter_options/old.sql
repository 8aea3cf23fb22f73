-- Change a sequence's increment, bounds, cache and make it cycle, as ALTER SEQUENCE would.
CREATE SEQUENCE ticket_seq AS bigint INCREMENT BY 1 MINVALUE 1 NO MAXVALUE START WITH 1 CACHE 1 NO CYCLE;

CREATE TABLE tickets (
    id bigint PRIMARY KEY,
    subject text NOT NULL
);
