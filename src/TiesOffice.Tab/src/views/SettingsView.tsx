import { useEffect, useState } from 'react';
import {
  Body1, Button, Field, Input, Select, Text, Title2, Title3, makeStyles, tokens,
} from '@fluentui/react-components';
import type { Settings, Weekday } from '../api/types';
import { useApp, useLoad } from '../AppContext';
import { ErrorPanel } from '../components/ErrorPanel';
import { Loading } from '../components/StateScreen';

export const deletePhrase = 'delete my data';

const weekdays: Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXL, maxWidth: '48rem' },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL, alignItems: 'flex-end' },
  chips: { listStyleType: 'none', padding: 0, margin: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  chip: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

/** An address (someone@example.com) or a domain (example.com), lower-cased; undefined if neither. */
export function normaliseExclusion(text: string): string | undefined {
  const value = text.trim().toLowerCase().replace(/^@/, '');
  const domain = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
  if (value.includes('@')) {
    const [local, host, ...rest] = value.split('@');
    return rest.length === 0 && local && host && domain.test(host) ? value : undefined;
  }
  return domain.test(value) ? value : undefined;
}

function DigestSettings({ draft, setDraft }: { draft: Settings; setDraft: (s: Settings) => void }) {
  const styles = useStyles();
  const budgetValid = Number.isInteger(draft.weeklyBudget) && draft.weeklyBudget >= 0 && draft.weeklyBudget <= 20;
  return (
    <div className={styles.row}>
      <Field label="Weekly digest day">
        <Select value={draft.digestDay} onChange={(_, d) => setDraft({ ...draft, digestDay: d.value as Weekday })}>
          {weekdays.map((day) => (
            <option key={day} value={day}>
              {day[0]!.toUpperCase() + day.slice(1)}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Digest time">
        <Input type="time" value={draft.digestTime} onChange={(_, d) => setDraft({ ...draft, digestTime: d.value })} />
      </Field>
      <Field label="Suggestions per week" validationMessage={budgetValid ? null : 'A whole number from 0 to 20.'}>
        <Input
          inputMode="numeric"
          value={String(draft.weeklyBudget)}
          onChange={(_, d) => setDraft({ ...draft, weeklyBudget: d.value === '' ? Number.NaN : Number(d.value) })}
        />
      </Field>
      <Field label="Time zone">
        <Input value={draft.timeZone ?? ''} placeholder="e.g. Europe/Paris" onChange={(_, d) => setDraft({ ...draft, timeZone: d.value || null })} />
      </Field>
    </div>
  );
}

function Exclusions({ draft, setDraft }: { draft: Settings; setDraft: (s: Settings) => void }) {
  const styles = useStyles();
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  const add = (): void => {
    const value = normaliseExclusion(text);
    if (!value) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setText('');
    if (!draft.exclusions.includes(value)) setDraft({ ...draft, exclusions: [...draft.exclusions, value] });
  };
  return (
    <div className={styles.section}>
      <Body1>
        Addresses and domains here are never tracked: they are not shown, scored or suggested, and what TiesOffice stored
        about them is removed when you save.
      </Body1>
      <div className={styles.row}>
        <Field label="Address or domain to exclude" validationMessage={invalid ? 'Enter an address (someone@example.com) or a domain (example.com).' : null}>
          <Input
            value={text}
            onChange={(_, d) => setText(d.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                add();
              }
            }}
          />
        </Field>
        <Button onClick={add}>Add</Button>
      </div>
      {draft.exclusions.length === 0 ? (
        <Text>Nothing excluded.</Text>
      ) : (
        <ul className={styles.chips} aria-label="Excluded addresses and domains" data-testid="exclusions">
          {draft.exclusions.map((value) => (
            <li key={value} className={styles.chip}>
              <Text>{value}</Text>
              <Button size="small" aria-label={`Remove ${value}`} onClick={() => setDraft({ ...draft, exclusions: draft.exclusions.filter((e) => e !== value) })}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Privacy() {
  const styles = useStyles();
  const { api, deleted } = useApp();
  const [confirm, setConfirm] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const exportAll = async (): Promise<void> => {
    setBusy(true);
    setStatus('');
    try {
      const { blob, fileName } = await api.exportData();
      const url = URL.createObjectURL(blob);
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = fileName;
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setStatus(`Exported as ${fileName}.`);
    } catch (error) {
      setStatus(`Export failed: ${error instanceof Error ? error.message : 'unknown error'}`);
    } finally {
      setBusy(false);
    }
  };

  const deleteAll = async (): Promise<void> => {
    setBusy(true);
    setStatus('');
    try {
      await api.deleteAll(confirm.trim());
      setConfirm('');
      deleted();
    } catch (error) {
      setStatus(`Not deleted: ${error instanceof Error ? error.message : 'unknown error'}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.section} aria-labelledby="privacy-title">
      <Title3 block as="h2" id="privacy-title">
        Your data
      </Title3>
      <div className={styles.row}>
        <Button onClick={() => void exportAll()} disabled={busy}>
          Export everything (JSON)
        </Button>
      </div>
      <Body1>
        Deleting removes every tie, score, note and setting TiesOffice holds for you. It cannot be undone. Type{' '}
        <strong>{deletePhrase}</strong> to confirm.
      </Body1>
      <div className={styles.row}>
        <Field label={`Type "${deletePhrase}"`}>
          <Input value={confirm} onChange={(_, d) => setConfirm(d.value)} autoComplete="off" />
        </Field>
        <Button appearance="primary" disabled={busy || confirm.trim() !== deletePhrase} onClick={() => void deleteAll()}>
          Delete all my data
        </Button>
      </div>
      <Text role="status" data-testid="privacy-status">
        {status}
      </Text>
    </section>
  );
}

export default function SettingsView() {
  const styles = useStyles();
  const { api, changed } = useApp();
  const loaded = useLoad((client) => client.settings(), []);
  const [draft, setDraft] = useState<Settings | undefined>(undefined);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (loaded.data) setDraft({ ...loaded.data, digestTime: loaded.data.digestTime.slice(0, 5) });
  }, [loaded.data]);

  if (loaded.loading && !draft) return <Loading label="Loading your settings…" />;
  if (loaded.error !== undefined) return <ErrorPanel error={loaded.error} onRetry={loaded.reload} />;
  if (!draft) return <Loading label="Loading your settings…" />;
  const budgetValid = Number.isInteger(draft.weeklyBudget) && draft.weeklyBudget >= 0 && draft.weeklyBudget <= 20;

  const save = async (): Promise<void> => {
    setBusy(true);
    setStatus('');
    try {
      // Every field is sent; an empty time zone is an explicit null (the server's default).
      const saved = await api.saveSettings({ ...draft, timeZone: draft.timeZone?.trim() ? draft.timeZone.trim() : null });
      setDraft(saved);
      setStatus('Settings saved.');
      changed();
    } catch (error) {
      setStatus(`Not saved: ${error instanceof Error ? error.message : 'unknown error'}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.root} data-testid="view-settings">
      <Title2 block as="h1">Settings and privacy</Title2>
      <section className={styles.section} aria-labelledby="digest-title">
        <Title3 block as="h2" id="digest-title">
          Weekly digest
        </Title3>
        <DigestSettings draft={draft} setDraft={setDraft} />
      </section>
      <section className={styles.section} aria-labelledby="exclusions-title">
        <Title3 block as="h2" id="exclusions-title">
          Never track
        </Title3>
        <Exclusions draft={draft} setDraft={setDraft} />
      </section>
      <div className={styles.row}>
        <Button appearance="primary" disabled={busy || !budgetValid} onClick={() => void save()}>
          Save settings
        </Button>
        <Text role="status" data-testid="settings-status">
          {status}
        </Text>
      </div>
      <Privacy />
    </div>
  );
}
