/** A plain table: one header cell per column (`scope="col"`), one row per item. */
import type { Key, ReactNode } from 'react';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** A class for the column's cells (e.g. `name`: a person's name never wraps). */
  className?: string;
}

export function DataTable<T>({ rows, rowKey, columns }: { rows: readonly T[]; rowKey: (row: T) => Key; columns: readonly Column<T>[] }) {
  return (
    <table className="table">
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.header} scope="col">
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={rowKey(r)}>
            {columns.map((c) => (
              <td key={c.header} className={c.className}>{c.cell(r)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
