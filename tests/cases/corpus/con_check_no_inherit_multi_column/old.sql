-- Mark a parent table's price check NO INHERIT so the archive child (legacy zero prices) no longer gets it, and add a multi-column date check.
CREATE TABLE price_rules (
    id integer NOT NULL,
    product_id integer NOT NULL,
    price numeric(10,2) NOT NULL,
    valid_from date NOT NULL,
    valid_to date,
    CONSTRAINT price_rules_price_positive CHECK (price > 0)
);

CREATE TABLE price_rules_archive () INHERITS (price_rules);
