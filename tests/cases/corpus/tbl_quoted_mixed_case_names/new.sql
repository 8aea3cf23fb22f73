CREATE TABLE "UserAccounts" (
    "Id" integer PRIMARY KEY,
    "DisplayName" text NOT NULL,
    "EmailAddress" varchar(255)
);

CREATE TABLE "order" (
    id integer PRIMARY KEY,
    "user" integer NOT NULL REFERENCES "UserAccounts" ("Id"),
    "select" text,
    "Total Amount" numeric(10,2) NOT NULL DEFAULT 0
);
CREATE INDEX "order_User_idx" ON "order" ("user");
