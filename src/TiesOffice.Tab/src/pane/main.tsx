import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadConfig } from '../auth/config';
import { captureRedirectToken } from '../auth/signIn';
import { PaneApp } from './PaneApp';
import { PaneHttpClient } from './api';
import { choosePaneAuthenticator } from './auth';
import { readOffice } from './office';

async function start(): Promise<void> {
  captureRedirectToken();
  const [config, office] = await Promise.all([loadConfig(), readOffice()]);
  const auth = choosePaneAuthenticator(office, config);
  const api = new PaneHttpClient(config.apiBaseUrl, () => (auth ? auth.token() : Promise.reject(new Error('no sign-in'))));
  const root = document.getElementById('root');
  if (!root) throw new Error('no #root element');
  createRoot(root).render(
    <StrictMode>
      <PaneApp api={api} auth={auth} office={office} />
    </StrictMode>,
  );
}

void start();
