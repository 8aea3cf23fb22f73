CREATE SCHEMA billing;

CREATE SEQUENCE billing.order_ref_seq AS integer START WITH 100000 INCREMENT BY 1 NO CYCLE;

CREATE TABLE public.orders (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL,
    total numeric(10,2) NOT NULL DEFAULT 0,
    order_ref integer NOT NULL DEFAULT nextval('billing.order_ref_seq'::regclass)
);
