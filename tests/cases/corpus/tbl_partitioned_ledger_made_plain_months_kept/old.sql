-- The ledger stops being partitioned by month: it is made anew as a plain table (its serial kept), and its monthly partitions stay as tables of their own, each with its own serial; accounts and ledger reference each other
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
) PARTITION BY RANGE (booked);
CREATE INDEX ledger_code_idx ON ledger (code);
CREATE TABLE ledger_2026_01 PARTITION OF ledger FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
CREATE TABLE ledger_2026_02 PARTITION OF ledger FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');

CREATE FUNCTION ledger_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.amount := round(NEW.amount, 2);
    RETURN NEW;
END
$$;
CREATE TRIGGER ledger_round BEFORE INSERT OR UPDATE ON ledger
    FOR EACH ROW EXECUTE FUNCTION ledger_touch();

ALTER TABLE ledger ADD CONSTRAINT ledger_account_fk FOREIGN KEY (code, region) REFERENCES accounts (code, region);
