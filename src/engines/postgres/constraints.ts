/**
 * The validated primary keys, foreign keys and NOT NULL columns of the
 * current schema's tables, each named as a check's `enforcedBy` names the
 * rule it enforces: a check a constraint already proves need not scan the
 * table again.
 */
export const CONSTRAINTS_IN_PLACE_SQL = `SELECT CASE c.contype WHEN 'p' THEN 'primary key ' ELSE 'foreign key ' END
            || t.relname || '.' || a.attname
            || CASE c.contype WHEN 'f' THEN ' ' || rt.relname || '.' || ra.attname ELSE '' END AS name
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       LEFT JOIN pg_class rt ON rt.oid = c.confrelid
       LEFT JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
      WHERE c.contype IN ('p', 'f') AND c.convalidated AND cardinality(c.conkey) = 1
        AND t.relnamespace = current_schema()::regnamespace
     UNION ALL
     SELECT 'not null ' || t.relname || '.' || a.attname
       FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid
      WHERE a.attnotnull AND a.attnum > 0 AND NOT a.attisdropped
        AND t.relnamespace = current_schema()::regnamespace`;
