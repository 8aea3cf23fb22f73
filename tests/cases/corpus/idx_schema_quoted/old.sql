-- Add and change indexes in a non-public schema, on a quoted mixed-case table and column.
CREATE SCHEMA billing;
CREATE TABLE billing."LedgerEntries" (
    "EntryId" bigint PRIMARY KEY,
    "AccountNo" text NOT NULL,
    "PostedAt" timestamptz NOT NULL,
    amount numeric(14,2) NOT NULL
);
CREATE INDEX "LedgerEntries_AccountNo_idx" ON billing."LedgerEntries" ("AccountNo");
CREATE TABLE "CustomerNotes" (
    "NoteId" serial PRIMARY KEY,
    "CustomerId" integer NOT NULL,
    "Body" text
);
