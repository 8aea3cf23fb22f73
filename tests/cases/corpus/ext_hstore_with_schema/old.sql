-- Install hstore into a dedicated "ext" schema and add an hstore attributes column using it.
CREATE TABLE listings (
    id integer PRIMARY KEY,
    title text NOT NULL,
    price_cents integer NOT NULL CHECK (price_cents >= 0)
);
