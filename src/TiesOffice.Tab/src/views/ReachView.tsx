import {
  Body1, Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Title2, makeStyles, tokens,
} from '@fluentui/react-components';
import { useLoad } from '../AppContext';
import { ErrorPanel } from '../components/ErrorPanel';
import { Loading } from '../components/StateScreen';
import { displayName } from '../format';
import { hrefFor } from '../router';

const useStyles = makeStyles({ root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL } });

export default function ReachView() {
  const styles = useStyles();
  const loaded = useLoad((api) => api.reach(), []);
  if (loaded.loading && !loaded.data) return <Loading label="Measuring your reach…" />;
  if (loaded.error !== undefined || !loaded.data) return <ErrorPanel error={loaded.error} onRetry={loaded.reload} />;
  const reach = loaded.data;
  const groups = [...reach.groups].sort((a, b) => b.weak + b.strong - (a.weak + a.strong));
  const bridges = groups.filter((g) => g.onlyBridge).length;
  // With departments from the directory, the organisation's own domain group holds the colleagues it gives none.
  const departments = groups.some((g) => g.kind === 'department');
  return (
    <div className={styles.root} data-testid="view-reach">
      <Title2 block as="h1">Reach</Title2>
      <Body1>
        Your strong and weak ties reach {groups.length} {groups.length === 1 ? 'group' : 'groups'}
        {reach.internalDomain ? ` (your organisation is ${reach.internalDomain})` : ''}. For {bridges} of them, a single
        tie is your only bridge: keep it warm.
      </Body1>
      {groups.length === 0 ? (
        <Body1>No strong or weak ties yet.</Body1>
      ) : (
        <Table aria-label="Groups your weak ties reach" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Group</TableHeaderCell>
              <TableHeaderCell>Kind</TableHeaderCell>
              <TableHeaderCell>Strong ties</TableHeaderCell>
              <TableHeaderCell>Weak ties</TableHeaderCell>
              <TableHeaderCell>Only bridge</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {groups.map((group) => (
              <TableRow key={`${group.kind}:${group.name}`}>
                <TableCell>{group.name}</TableCell>
                <TableCell>{group.kind === 'department'
                    ? 'Department of your organisation'
                    : group.internal
                      ? departments ? 'Your organisation, no department known' : 'Your organisation'
                      : 'Other organisation'}</TableCell>
                <TableCell>{group.strong}</TableCell>
                <TableCell>{group.weak}</TableCell>
                <TableCell>
                  {group.onlyBridge ? <Link href={hrefFor({ view: 'tie', id: group.onlyBridge.id })}>{displayName(group.onlyBridge)}</Link> : '—'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
