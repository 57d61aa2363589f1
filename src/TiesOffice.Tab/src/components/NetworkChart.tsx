// The network over the last 12 months: tier counts per month as stacked bars, with the same figures as a table.
import { VerticalStackedBarChart } from '@fluentui/react-charts';
import type { VerticalStackedChartProps } from '@fluentui/react-charts';
import type { MonthCounts, Tier } from '../api/types';
import { formatMonth, tierLabel } from '../format';
import { ChartBoundary } from './ChartBoundary';
import { FiguresTable } from './FiguresTable';

// Plain colours, not theme tokens: the chart hands them to SVG attributes and d3, which cannot read CSS variables.
// Mid-tones from Fluent's palette that read on light, dark and high-contrast backgrounds alike.
export const tierColour: Record<Tier, string> = {
  strong: '#107c10',
  weak: '#2886de',
  dormant: '#c19c00',
  pseudo: '#8a8886',
};

const shown: Tier[] = ['strong', 'weak', 'dormant'];

export default function NetworkChart({ history, locale }: { history: MonthCounts[]; locale: string }) {
  const data: VerticalStackedChartProps[] = history.map((month) => ({
    xAxisPoint: formatMonth(month.month, locale),
    chartData: shown.map((tier) => ({ legend: tierLabel[tier], data: month[tier], color: tierColour[tier] })),
  }));
  return (
    <figure style={{ margin: 0 }} data-testid="network-chart">
      <figcaption id="network-chart-caption">Your ties by tier, month by month, over the last 12 months</figcaption>
      <div>
        <ChartBoundary>
          <VerticalStackedBarChart data={data} height={260} culture={locale} hideLegend={false} />
        </ChartBoundary>
      </div>
      <FiguresTable
        caption="Ties by tier per month"
        columns={['Month', ...shown.map((tier) => tierLabel[tier])]}
        rows={history.map((month) => [formatMonth(month.month, locale), ...shown.map((tier) => String(month[tier]))])}
      />
    </figure>
  );
}
