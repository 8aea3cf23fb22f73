create table import_rows (
    row_no integer not null,
    source_file text not null,
    payload jsonb
);
