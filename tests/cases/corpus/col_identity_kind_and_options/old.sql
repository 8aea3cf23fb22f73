-- Switch an identity column from ALWAYS to BY DEFAULT and change its START/INCREMENT/MIN/MAX/CACHE/CYCLE options.
CREATE TABLE payments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    amount numeric(12,2) NOT NULL
);
