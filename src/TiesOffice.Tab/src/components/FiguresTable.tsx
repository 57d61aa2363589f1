import { makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  table: { borderCollapse: 'collapse', marginTop: tokens.spacingVerticalS },
  cell: { padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`, textAlign: 'left' },
  summary: { cursor: 'pointer', color: tokens.colorBrandForegroundLink, marginTop: tokens.spacingVerticalS },
});

/** A chart's figures as a plain table, folded away, for screen readers and anyone who wants the numbers. */
export function FiguresTable({ caption, columns, rows }: { caption: string; columns: string[]; rows: string[][] }) {
  const styles = useStyles();
  return (
    <details>
      <summary className={styles.summary}>Show the figures as a table</summary>
      <table className={styles.table}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col" className={styles.cell}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row[0]}>
              {row.map((cell, i) => (
                <td key={i} className={styles.cell}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
