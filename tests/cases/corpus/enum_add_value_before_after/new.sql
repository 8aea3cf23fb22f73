CREATE TYPE shipment_state AS ENUM ('created', 'packed', 'in_transit', 'out_for_delivery', 'delivered');

CREATE TABLE shipments (
    id serial PRIMARY KEY,
    state shipment_state NOT NULL DEFAULT 'created'
);
