// A tie's weekly timeline in both directions: for each of the last 53 weeks, whether they wrote to you and whether
// you wrote to them (the engine keeps active weeks per direction, not message counts). Drawn as a two-row heat map,
// with the same figures as a table.
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
  const cells = (active: (w: WeekPoint) => boolean, row: string, rowName: string) =>
    weeks.map((w) => ({
      x: w.start,
      y: row,
      value: active(w) ? 1 : 0,
      rectText: '',
      ariaLabel: `${rowName}, week of ${longLabel.format(w.start)}: ${active(w) ? 'yes' : 'no'}`,
    }));
  // One series in week order (the chart lays its columns out in the order it first meets them); colour by value.
  const data: HeatMapChartData[] = [
    {
      legend: 'Active weeks',
      value: 1,
      data: [...cells((w) => w.received, theyRow, `${name} wrote`), ...cells((w) => w.sent, youRow, 'You wrote')],
    },
  ];
  const theirs = weeks.filter((w) => w.received).length;
  const yours = weeks.filter((w) => w.sent).length;
  return (
    <figure style={{ margin: 0 }} data-testid="timeline-chart">
      <figcaption id="timeline-chart-caption">
        Weeks with messages, both directions, over the last {weeks.length} weeks: {name} wrote in {theirs}, you wrote in {yours}.
      </figcaption>
      <div>
        <ChartBoundary>
          <HeatMapChart
          data={data}
          height={160}
          domainValuesForColorScale={[0, 1]}
          rangeValuesForColorScale={['#8a8886', '#2886de']}
          culture={locale}
          hideLegend={false}
        />
        </ChartBoundary>
      </div>
      <FiguresTable
        caption="Active weeks"
        columns={['Week of', `${name} wrote`, 'You wrote']}
        rows={weeks.map((w) => [longLabel.format(w.start), w.received ? 'yes' : 'no', w.sent ? 'yes' : 'no'])}
      />
    </figure>
  );
}
