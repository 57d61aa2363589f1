import { Badge } from '@fluentui/react-components';
import type { TieSummary, Tier } from '../api/types';
import { formatDate, tierLabel, trendLabel } from '../format';

const tierAppearance: Record<Tier, 'brand' | 'success' | 'warning' | 'informative'> = {
  strong: 'success',
  weak: 'brand',
  dormant: 'warning',
  pseudo: 'informative',
};

/** Tier, trend and any override, as short labels. */
export function TieBadges({ tie, locale }: { tie: TieSummary; locale: string }) {
  return (
    <span style={{ display: 'inline-flex', gap: 4, flexWrap: 'wrap' }}>
      <Badge appearance="tint" color={tierAppearance[tie.tier]} data-testid="tier-badge">
        {tierLabel[tie.tier]}
      </Badge>
      <Badge appearance="outline" color="informative">
        {trendLabel[tie.trend]}
      </Badge>
      {tie.isOverridden && (
        <Badge appearance="outline" color="informative">
          Set by you
        </Badge>
      )}
      {tie.muted && (
        <Badge appearance="outline" color="informative">
          Muted
        </Badge>
      )}
      {tie.snoozedUntil && (
        <Badge appearance="outline" color="informative" data-testid="snoozed-badge">
          Snoozed until {formatDate(tie.snoozedUntil, locale)}
        </Badge>
      )}
    </span>
  );
}
