/** A table's columns in their order, each with its type as format_type() writes it (`character varying(256)`, `timestamp without time zone`). */
export const POSTGRES_PREVIEW_COLUMNS_SQL = `SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS data_type, CAST(NULL AS INTEGER) AS character_maximum_length
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum`;

/** A table's size on disk in bytes: its rows, indexes and TOAST (pg_total_relation_size). */
export const POSTGRES_TABLE_SIZE_SQL = `SELECT pg_total_relation_size(c.oid) AS bytes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2`;
