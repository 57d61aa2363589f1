import { Caption1, Link, makeStyles, tokens } from '@fluentui/react-components';
import type { TieSummary } from '../api/types';
import { displayName, portabilityLabel } from '../format';
import { hrefFor } from '../router';
import { TieBadges } from './TieBadges';

const useStyles = makeStyles({
  list: { listStyleType: 'none', padding: 0, margin: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  item: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'baseline' },
});

/** A short, plain list of ties (not virtualised: for lists the API already bounds). */
export function TieList({ ties, locale, label }: { ties: TieSummary[]; locale: string; label: string }) {
  const styles = useStyles();
  return (
    <ul className={styles.list} aria-label={label}>
      {ties.map((tie) => (
        <li key={tie.id} className={styles.item}>
          <Link href={hrefFor({ view: 'tie', id: tie.id })}>{displayName(tie)}</Link>
          {tie.displayName && <Caption1>{tie.contact}</Caption1>}
          <TieBadges tie={tie} locale={locale} />
          <Caption1>{portabilityLabel[tie.portability.class]}</Caption1>
        </li>
      ))}
    </ul>
  );
}
