/** The two SQL dialects, as engines name themselves for display (see src/engines). */
export type DialectName = 'postgres' | 'redshift';
