/**
 * Table rows and the store's shapes: a column is its field's name in snake_case (`created_at` ↔ `createdAt`).
 * `Row<T>` is the row type of a shape; `camelRow` gives a row read from SQLite its shape's keys (every column
 * it carries, so a repository drops the columns that stay in the database, like a PIN hash, before calling it).
 */
type Snake<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${Snake<T>}`
  : S;
type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;

/** The row of a table whose columns are the fields of `T` in snake_case. */
export type Row<T> = { [K in keyof T & string as Snake<K>]: T[K] };
/** A row's columns under their camelCase field names. */
export type Camelized<R> = { [K in keyof R & string as Camel<K>]: R[K] };

export function camelRow<R extends object>(row: R): Camelized<R> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) out[column.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())] = value;
  return out as Camelized<R>;
}
