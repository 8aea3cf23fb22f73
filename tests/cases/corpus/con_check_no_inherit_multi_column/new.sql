CREATE TABLE price_rules (
    id integer NOT NULL,
    product_id integer NOT NULL,
    price numeric(10,2) NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    CONSTRAINT price_rules_price_positive CHECK (price > 0) NO INHERIT,
    CONSTRAINT price_rules_period_check CHECK (valid_to IS NULL OR valid_to > valid_from)
);

CREATE TABLE price_rules_archive () INHERITS (price_rules);
