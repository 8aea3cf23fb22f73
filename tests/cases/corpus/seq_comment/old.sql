-- Add a comment to a sequence and change the comment on its table.
CREATE SEQUENCE "Receipt_No_Seq" START WITH 1;

CREATE TABLE receipts (
    receipt_no bigint NOT NULL DEFAULT nextval('"Receipt_No_Seq"'),
    issued_at timestamptz NOT NULL,
    CONSTRAINT receipts_pkey PRIMARY KEY (receipt_no)
);

COMMENT ON TABLE receipts IS 'Receipts';
