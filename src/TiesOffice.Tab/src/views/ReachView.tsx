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
  const groups = [...reach.groups].sort((a, b) => b.weakTies - a.weakTies);
  const bridges = groups.filter((g) => g.onlyBridge).length;
  return (
    <div className={styles.root} data-testid="view-reach">
      <Title2 as="h1">Reach</Title2>
      <Body1>
        Your weak ties reach {groups.length} {groups.length === 1 ? 'group' : 'groups'} beyond your closest circle
        {reach.internalDomain ? ` (your organisation is ${reach.internalDomain})` : ''}. For {bridges} of them, a single
        tie is your only bridge.
      </Body1>
      {groups.length === 0 ? (
        <Body1>No weak ties yet.</Body1>
      ) : (
        <Table aria-label="Groups your weak ties reach" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Group</TableHeaderCell>
              <TableHeaderCell>Kind</TableHeaderCell>
              <TableHeaderCell>Weak ties</TableHeaderCell>
              <TableHeaderCell>Only bridge</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {groups.map((group) => (
              <TableRow key={`${group.kind}:${group.name}`}>
                <TableCell>{group.name}</TableCell>
                <TableCell>{group.kind === 'domain' ? (group.name === reach.internalDomain ? 'Your organisation' : 'Organisation') : 'Department'}</TableCell>
                <TableCell>{group.weakTies}</TableCell>
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
