CREATE TABLE accounts (
    code text NOT NULL,
    region text NOT NULL,
    UNIQUE (code, region)
) PARTITION BY LIST (region);
CREATE TABLE accounts_eu PARTITION OF accounts FOR VALUES IN ('eu');

CREATE TABLE ledger (
    entry serial,
    booked date NOT NULL,
    code text,
    region text,
    amount numeric(12, 2) CHECK (amount <> 0),
    UNIQUE (booked, entry)
);
CREATE INDEX ledger_code_idx ON ledger (code);

CREATE TABLE ledger_2026_01 (
    entry serial,
    booked date NOT NULL,
    code text,
    region text,
    amount numeric(12, 2) CHECK (amount <> 0)
);
CREATE TABLE ledger_2026_02 (
    entry serial,
    booked date NOT NULL,
    code text,
    region text,
    amount numeric(12, 2)
);
CREATE INDEX ledger_2026_02_code_idx ON ledger_2026_02 (code);

CREATE FUNCTION ledger_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.amount := round(NEW.amount, 2);
    RETURN NEW;
END
$$;
CREATE TRIGGER ledger_round BEFORE INSERT OR UPDATE ON ledger
    FOR EACH ROW EXECUTE FUNCTION ledger_touch();

ALTER TABLE ledger ADD CONSTRAINT ledger_account_fk FOREIGN KEY (code, region) REFERENCES accounts (code, region);
