-- Add an expression index on a jsonb field, (data->>'sku'), and a unique one on ((data->'vendor'->>'code')).
CREATE TABLE line_items (
    id bigserial PRIMARY KEY,
    order_id bigint NOT NULL,
    data jsonb NOT NULL
);
