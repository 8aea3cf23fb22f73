-- Insert enum labels in the middle, as ALTER TYPE ... ADD VALUE ... BEFORE / AFTER.
CREATE TYPE shipment_state AS ENUM ('created', 'in_transit', 'delivered');

CREATE TABLE shipments (
    id serial PRIMARY KEY,
    state shipment_state NOT NULL DEFAULT 'created'
);
