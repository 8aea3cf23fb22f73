CREATE SEQUENCE "Receipt_No_Seq" START WITH 1;

CREATE TABLE receipts (
    receipt_no bigint NOT NULL DEFAULT nextval('"Receipt_No_Seq"'),
    issued_at timestamptz NOT NULL,
    CONSTRAINT receipts_pkey PRIMARY KEY (receipt_no)
);

COMMENT ON TABLE receipts IS 'Printed receipts handed to customers';
COMMENT ON SEQUENCE "Receipt_No_Seq" IS 'Receipt numbers, printed on paper; never reset';
