-- Remove an obsolete enum label and reorder the rest, with a column and its default using the type.
CREATE TYPE user_role AS ENUM ('guest', 'member', 'legacy_admin', 'admin', 'moderator');

CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    role user_role NOT NULL DEFAULT 'member'::user_role
);
