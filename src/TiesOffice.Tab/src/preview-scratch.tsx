import { createRoot } from 'react-dom/client';
import { App } from './App';
import { FakeApi } from './test/fakeApi';
const theme = new URLSearchParams(location.search).get('theme') === 'dark' ? 'dark' : 'default';
createRoot(document.getElementById('root')!).render(
  <App api={new FakeApi(5000)} host={{ inM365: false, name: 'Browser', theme, locale: 'en-GB' }} auth={{ kind: 'local', token: async () => 't', interactive: async () => {}, forget: () => {} }} />,
);
