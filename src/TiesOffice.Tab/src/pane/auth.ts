// How the pane signs in: nested app authentication in Outlook (MSAL's nestable client, the tab's naaAuthenticator),
// the DevHost's local sign-in page in a plain browser. No legacy Exchange identity tokens: an Outlook without
// nested app authentication gets no sign-in (the pane says so).
import type { TabConfig } from '../auth/config';
import type { Authenticator } from '../auth/signIn';
import { localAuthenticator, naaAuthenticator } from '../auth/signIn';
import type { OfficeInfo } from './office';

export function choosePaneAuthenticator(office: Pick<OfficeInfo, 'inOutlook' | 'nestedAppAuth'>, config: TabConfig): Authenticator | undefined {
  if (!office.inOutlook) return localAuthenticator(config);
  return office.nestedAppAuth && config.clientId ? naaAuthenticator(config) : undefined;
}
