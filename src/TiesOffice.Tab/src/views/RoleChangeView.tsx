import { Body1, Title2, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { useApp, useLoad } from '../AppContext';
import { ErrorPanel } from '../components/ErrorPanel';
import { Loading } from '../components/StateScreen';
import { TieList } from '../components/TieList';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  columns: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(18rem, 1fr))', gap: tokens.spacingHorizontalXXL },
});

export default function RoleChangeView() {
  const styles = useStyles();
  const { locale } = useApp();
  const loaded = useLoad((api) => api.roleChange(), []);
  if (loaded.loading && !loaded.data) return <Loading label="Working out which ties are yours…" />;
  if (loaded.error !== undefined || !loaded.data) return <ErrorPanel error={loaded.error} onRetry={loaded.reload} />;
  const { survive, go } = loaded.data;
  const unknown = loaded.data.unknown ?? [];
  return (
    <div className={styles.root} data-testid="view-roles">
      <Title2 block as="h1">If I changed roles</Title2>
      <Body1>
        Your strong and weak ties, by whether they are built on you or on your role. Personal ties would come with you;
        position-based ones would stay with the role; mixed ones are listed with yours and marked so. Your own setting on
        a tie ("Tie comes with") wins.
      </Body1>
      <div className={styles.columns}>
        <section aria-labelledby="survive-title">
          <Title3 block as="h2" id="survive-title">
            Would come with you ({survive.length})
          </Title3>
          {survive.length === 0 ? <Body1>None yet.</Body1> : <TieList ties={survive} locale={locale} label="Ties that would come with you" />}
        </section>
        <section aria-labelledby="go-title">
          <Title3 block as="h2" id="go-title">
            Would stay with the role ({go.length})
          </Title3>
          {go.length === 0 ? <Body1>None.</Body1> : <TieList ties={go} locale={locale} label="Ties that would stay with the role" />}
        </section>
        {unknown.length > 0 && (
          <section aria-labelledby="unknown-title">
            <Title3 block as="h2" id="unknown-title">
              Can't tell yet ({unknown.length})
            </Title3>
            <TieList ties={unknown} locale={locale} label="Ties TiesOffice cannot judge yet" />
          </section>
        )}
      </div>
    </div>
  );
}
