import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ApiError } from '../api/client';

/** A failure inside one view (the rest of the tab still works). */
export function ErrorPanel({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const notFound = error instanceof ApiError && error.kind === 'notFound';
  const message = error instanceof Error ? error.message : 'Unknown error';
  return (
    <MessageBar intent="error" data-testid={notFound ? 'state-not-found' : 'view-error'}>
      <MessageBarBody>
        <MessageBarTitle>{notFound ? 'Not found' : 'This could not be loaded'}</MessageBarTitle>
        {notFound ? 'It may have been removed or excluded.' : message}
      </MessageBarBody>
      {onRetry && !notFound && (
        <MessageBarActions>
          <Button onClick={onRetry}>Try again</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
