CREATE TABLE line_items (
    id bigserial PRIMARY KEY,
    order_id bigint NOT NULL,
    data jsonb NOT NULL
);
CREATE INDEX line_items_sku_idx ON line_items ((data->>'sku'));
CREATE INDEX line_items_order_vendor_idx ON line_items (order_id, (data->'vendor'->>'code'));
