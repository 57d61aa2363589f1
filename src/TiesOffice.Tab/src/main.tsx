import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HttpApiClient } from './api/client';
import { App } from './App';
import { loadConfig } from './auth/config';
import { detectHost } from './auth/host';
import { captureRedirectToken, chooseAuthenticator } from './auth/signIn';

async function start(): Promise<void> {
  captureRedirectToken();
  const [config, host] = await Promise.all([loadConfig(), detectHost()]);
  const auth = chooseAuthenticator(host, config);
  const api = new HttpApiClient(config.apiBaseUrl, () => auth.token());
  const root = document.getElementById('root');
  if (!root) throw new Error('no #root element');
  createRoot(root).render(
    <StrictMode>
      <App api={api} host={host} auth={auth} />
    </StrictMode>,
  );
}

void start();
