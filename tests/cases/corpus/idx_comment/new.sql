CREATE TABLE shipments (
    id bigserial PRIMARY KEY,
    order_id bigint NOT NULL,
    carrier text NOT NULL,
    tracking_no text,
    shipped_at timestamptz
);
CREATE INDEX shipments_order_idx ON shipments (order_id);
CREATE INDEX shipments_carrier_idx ON shipments (carrier);
CREATE UNIQUE INDEX shipments_tracking_key ON shipments (tracking_no);
COMMENT ON INDEX shipments_order_idx IS 'Join path from orders';
COMMENT ON INDEX shipments_carrier_idx IS 'Used by the carrier dashboard and the weekly report';
