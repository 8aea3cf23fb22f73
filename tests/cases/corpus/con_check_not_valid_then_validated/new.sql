CREATE TABLE page_views (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url text NOT NULL,
    duration_ms integer,
    viewed_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE page_views
    ADD CONSTRAINT page_views_duration_nonnegative CHECK (duration_ms >= 0) NOT VALID;

ALTER TABLE page_views VALIDATE CONSTRAINT page_views_duration_nonnegative;
