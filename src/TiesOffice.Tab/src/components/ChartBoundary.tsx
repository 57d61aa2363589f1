import { Component } from 'react';
import type { ReactNode } from 'react';
import { Text } from '@fluentui/react-components';

/** If a chart cannot draw (an old browser, a host quirk), say so and leave the rest of the view, and its table, working. */
export class ChartBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render(): ReactNode {
    if (this.state.failed) return <Text role="note">The chart could not be drawn here; the figures are in the table below.</Text>;
    return this.props.children;
  }
}
