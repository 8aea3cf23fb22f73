CREATE SCHEMA billing;
CREATE TABLE billing."LedgerEntries" (
    "EntryId" bigint PRIMARY KEY,
    "AccountNo" text NOT NULL,
    "PostedAt" timestamptz NOT NULL,
    amount numeric(14,2) NOT NULL
);
CREATE INDEX "LedgerEntries_AccountNo_idx" ON billing."LedgerEntries" ("AccountNo", "PostedAt" DESC);
CREATE INDEX ledger_posted_at_idx ON billing."LedgerEntries" ("PostedAt");
CREATE TABLE "CustomerNotes" (
    "NoteId" serial PRIMARY KEY,
    "CustomerId" integer NOT NULL,
    "Body" text
);
CREATE INDEX "CustomerNotes_CustomerId_idx" ON "CustomerNotes" ("CustomerId");
