import { describe, expect, it } from 'vitest';
import { formatDate, formatDuration, replySentence, utcDate } from './format';

describe('format', () => {
  it.each([
    [0.5, '30 min'],
    [3, '3 h'],
    [35, '35 h'],
    [48, '2 days'],
    [24 * 7, '7 days'],
  ])('FormatDuration_%s hours_%s', (hours, text) => {
    expect(formatDuration(hours)).toBe(text);
  });

  it('ReplySentence_BothSides_ReadsAsOneSentence', () => {
    expect(replySentence(3, 48)).toBe('They reply in 3 h, you in 2 days.');
    expect(replySentence(null, null)).toBe('Neither of you has replied to the other in the window.');
  });

  it('FormatDate_CalendarDate_SameDayInEveryLocale', () => {
    expect(formatDate('2027-01-15', 'en-GB')).toBe('15 Jan 2027');
    expect(formatDate('2027-01-15', 'en-US')).toBe('Jan 15, 2027');
    expect(formatDate('2027-01-15', 'de-DE')).toBe('15.01.2027');
  });

  it('UtcDate_BadInput_Undefined', () => {
    expect(utcDate('soon')).toBeUndefined();
  });
});
