-- Add a new label at the end of an enum that a column already uses (ALTER TYPE ... ADD VALUE).
CREATE TYPE ticket_priority AS ENUM ('low', 'normal', 'high');

CREATE TABLE support_tickets (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text NOT NULL,
    priority ticket_priority NOT NULL DEFAULT 'normal'
);
