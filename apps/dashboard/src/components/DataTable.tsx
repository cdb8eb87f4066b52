import { useState, type KeyboardEvent, type ReactNode } from 'react';

export interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => ReactNode;
  /** Makes the column sortable; compare two rows (money by compareDecimal, never as floats). */
  readonly compare?: (a: Row, b: Row) => number;
  readonly numeric?: boolean;
}

interface DataTableProps<Row> {
  readonly caption: string;
  readonly rows: readonly Row[];
  readonly columns: readonly Column<Row>[];
  readonly rowKey: (row: Row) => string;
  /** Enter on a focused row (or a click) opens it. */
  readonly onOpen?: (row: Row) => void;
  readonly testId?: string;
  /** Said instead of the table when there are no rows. */
  readonly empty?: string;
}

/** A table usable from the keyboard: sort by the header buttons, Tab/arrows between rows, Enter to open. */
export function DataTable<Row>({ caption, rows, columns, rowKey, onOpen, testId, empty }: DataTableProps<Row>) {
  const [sort, setSort] = useState<{ column: number; descending: boolean }>();
  const compare = sort === undefined ? undefined : columns[sort.column]?.compare;
  const sorted = compare ? [...rows].sort((a, b) => (sort!.descending ? -compare(a, b) : compare(a, b))) : rows;

  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, row: Row) => {
    if (event.key === 'Enter' && onOpen) onOpen(row);
    const sibling = event.key === 'ArrowDown' ? event.currentTarget.nextElementSibling : event.key === 'ArrowUp' ? event.currentTarget.previousElementSibling : null;
    if (sibling instanceof HTMLElement) {
      event.preventDefault();
      sibling.focus();
    }
  };

  if (rows.length === 0 && empty !== undefined) return <p className="state empty">{empty}</p>;
  return (
    <table className="data-table" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column, index) => (
            <th key={column.header} scope="col" className={column.numeric ? 'numeric' : undefined} aria-sort={sort?.column === index ? (sort.descending ? 'descending' : 'ascending') : undefined}>
              {column.compare ? (
                <button type="button" className="sort" onClick={() => setSort({ column: index, descending: sort?.column === index ? !sort.descending : true })}>
                  {column.header}
                  {sort?.column === index ? (sort.descending ? ' ▼' : ' ▲') : ''}
                </button>
              ) : (
                column.header
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sorted.map((row) => (
          <tr key={rowKey(row)} tabIndex={0} className={onOpen ? 'openable' : undefined} onKeyDown={(event) => onKeyDown(event, row)} onClick={onOpen ? () => onOpen(row) : undefined}>
            {columns.map((column) => (
              <td key={column.header} className={column.numeric ? 'numeric' : undefined}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
