// The one next step the pane suggests for a tie, in the same words as the digest and the tab
// (NetworkService.RouteText), and what the pane says about reciprocity and who owes a reply.
import type { TieDetail } from '../api/types';
import { formatDate } from '../format';

export interface NextStep {
  kind: 'snoozed' | 'muted' | 'anotherRoute' | 'reply' | 'reactivate' | 'oneOnOne' | 'write' | 'keep' | 'pseudo';
  text: string;
}

function future(iso: string | null | undefined, now: Date): boolean {
  if (!iso) return false;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T23:59:59Z`) : new Date(iso);
  return !Number.isNaN(day.getTime()) && day.getTime() > now.getTime();
}

export function nextStep(tie: TieDetail, locale: string, now: Date = new Date()): NextStep {
  if (future(tie.snoozedUntil, now)) {
    return { kind: 'snoozed', text: `Snoozed until ${formatDate(tie.snoozedUntil, locale)}: no nudges about them until then.` };
  }
  if (tie.muted) return { kind: 'muted', text: 'Muted: TiesOffice does not nudge you about them.' };
  const a = tie.attention;
  if (a.unansweredInARow >= 2) {
    return { kind: 'anotherRoute', text: 'They left your last two messages unanswered: try another way (a call, a meeting, a shared contact).' };
  }
  if (a.owed === 'owner') return { kind: 'reply', text: 'They are waiting for your reply.' };
  switch (tie.tier) {
    case 'dormant':
      return { kind: 'reactivate', text: 'Write to them: share something useful or ask how they are.' };
    case 'weak':
      return tie.trend === 'cooling'
        ? { kind: 'oneOnOne', text: 'Propose a 1:1.' }
        : { kind: 'write', text: 'Write to them.' };
    case 'pseudo':
      return { kind: 'pseudo', text: 'No two-way exchange yet: a reply is what turns this into a tie.' };
    default:
      return { kind: 'keep', text: 'Nothing to do: this tie is alive. Keep answering as you do.' };
  }
}

export function owedText(tie: TieDetail): string {
  const a = tie.attention;
  const base = a.owed === 'owner' ? 'You owe them a reply' : a.owed === 'contact' ? 'They owe you a reply' : 'Nobody owes a reply';
  return a.unansweredInARow > 1 ? `${base} (${a.unansweredInARow} unanswered in a row)` : base;
}

/** Reciprocity in words: the balance (0 one-way to 1 balanced) and the messages each way. */
export function reciprocityText(tie: TieDetail, locale: string): string {
  const b = tie.reciprocity.balance;
  const words = b >= 0.6 ? 'Balanced' : b >= 0.3 ? 'Leaning one way' : 'One-sided';
  const a = tie.attention;
  return `${words}: ${a.received.toLocaleString(locale)} from them, ${a.sent.toLocaleString(locale)} from you`;
}
