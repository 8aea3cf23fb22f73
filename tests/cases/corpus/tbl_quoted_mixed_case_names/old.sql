-- Add mixed-case and reserved-word tables ("UserAccounts", "order") and a quoted column to them.
CREATE TABLE "UserAccounts" (
    "Id" integer PRIMARY KEY,
    "DisplayName" text NOT NULL
);
