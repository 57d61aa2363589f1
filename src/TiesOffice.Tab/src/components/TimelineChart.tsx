// A tie's weekly timeline in both directions: for each of the last 53 weeks, how many direct messages they wrote to
// you and you to them (a small meeting you both attended counts one each way). Drawn as a two-row heat map whose
// colour deepens with the count, with the same figures as a table.
import { HeatMapChart } from '@fluentui/react-charts';
import type { HeatMapChartData } from '@fluentui/react-charts';
import type { WeekPoint } from '../api/types';
import { utcDate } from '../format';
import { ChartBoundary } from './ChartBoundary';
import { FiguresTable } from './FiguresTable';

export default function TimelineChart({ timeline, locale, name }: { timeline: WeekPoint[]; locale: string; name: string }) {
  const longLabel = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const weeks = timeline
    .map((point) => ({ ...point, start: utcDate(point.weekStart) }))
    .filter((point): point is WeekPoint & { start: Date } => point.start !== undefined);
  // Short row names: the chart's axis has little room (the caption and the table name them in full).
  const theyRow = 'They';
  const youRow = 'You';
  const messages = (n: number) => `${n} ${n === 1 ? 'message' : 'messages'}`;
  const cells = (count: (w: WeekPoint) => number, row: string, rowName: string) =>
    weeks.map((w) => ({
      x: w.start,
      y: row,
      value: count(w),
      rectText: '',
      ariaLabel: `${rowName}, week of ${longLabel.format(w.start)}: ${messages(count(w))}`,
    }));
  // One series in week order (the chart lays its columns out in the order it first meets them); colour by count.
  const busiest = Math.max(1, ...weeks.map((w) => Math.max(w.sent, w.received)));
  const data: HeatMapChartData[] = [
    {
      legend: 'Messages per week',
      value: busiest,
      data: [...cells((w) => w.received, theyRow, `${name} wrote`), ...cells((w) => w.sent, youRow, 'You wrote')],
    },
  ];
  const theirs = weeks.reduce((sum, w) => sum + w.received, 0);
  const yours = weeks.reduce((sum, w) => sum + w.sent, 0);
  const theirWeeks = weeks.filter((w) => w.received > 0).length;
  const yourWeeks = weeks.filter((w) => w.sent > 0).length;
  return (
    <figure style={{ margin: 0 }} data-testid="timeline-chart">
      <figcaption id="timeline-chart-caption">
        Direct messages each way per week, over the last {weeks.length} weeks: {name} wrote {messages(theirs)} in {theirWeeks}{' '}
        {theirWeeks === 1 ? 'week' : 'weeks'}, you wrote {messages(yours)} in {yourWeeks} {yourWeeks === 1 ? 'week' : 'weeks'}.
      </figcaption>
      <div>
        <ChartBoundary>
          <HeatMapChart
          data={data}
          height={160}
          domainValuesForColorScale={[0, busiest]}
          rangeValuesForColorScale={['#8a8886', '#0f548c']}
          culture={locale}
          hideLegend={false}
        />
        </ChartBoundary>
      </div>
      <FiguresTable
        caption="Messages per week"
        columns={['Week of', `${name} wrote`, 'You wrote']}
        rows={weeks.map((w) => [longLabel.format(w.start), String(w.received), String(w.sent)])}
      />
    </figure>
  );
}
