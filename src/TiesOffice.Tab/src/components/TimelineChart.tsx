// A tie's weekly timeline in both directions: what they sent you and what you sent them, with a table of the figures.
import { LineChart } from '@fluentui/react-charts';
import type { ChartProps } from '@fluentui/react-charts';
import { tokens } from '@fluentui/react-components';
import type { WeekPoint } from '../api/types';
import { weekStart } from '../format';
import { FiguresTable } from './FiguresTable';

export default function TimelineChart({ timeline, locale, name }: { timeline: WeekPoint[]; locale: string; name: string }) {
  const points = timeline
    .map((point) => ({ ...point, start: weekStart(point.week) }))
    .filter((point): point is WeekPoint & { start: Date } => point.start !== undefined);
  const data: ChartProps = {
    chartTitle: `Messages each week with ${name}`,
    lineChartData: [
      { legend: `${name} to you`, color: tokens.colorPaletteBerryForeground2, data: points.map((p) => ({ x: p.start, y: p.received })) },
      { legend: `You to ${name}`, color: tokens.colorBrandForeground1, data: points.map((p) => ({ x: p.start, y: p.sent })) },
    ],
  };
  const dateFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' });
  return (
    <figure style={{ margin: 0 }} data-testid="timeline-chart">
      <figcaption id="timeline-chart-caption">
        Messages each week, both directions, over the last {Math.round(points.length / 4.345)} months
      </figcaption>
      <div role="img" aria-labelledby="timeline-chart-caption">
        <LineChart data={data} height={240} culture={locale} />
      </div>
      <FiguresTable
        caption="Messages per week"
        columns={['Week of', `${name} to you`, `You to ${name}`]}
        rows={points.map((p) => [dateFormat.format(p.start), String(p.received), String(p.sent)])}
      />
    </figure>
  );
}
