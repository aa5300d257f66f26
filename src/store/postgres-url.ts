/**
 * Is this a Postgres connection URL (what `database` and `HUBHOOKS_DATABASE` accept besides a SQLite path)?
 * @example
 * isPostgresUrl("postgresql://app@db/hooks"); // true
 */
export function isPostgresUrl(value: string | undefined): value is string {
  return typeof value === "string" && /^postgres(ql)?:\/\//i.test(value);
}
