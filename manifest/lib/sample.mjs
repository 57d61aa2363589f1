// Values of one made-up deployment, for the tests. Nothing here is a real tenant, app or host.
export const sample = Object.freeze({
  domain: 'func-ties-7xq2k4m3.azurewebsites.net',
  botId: '4d1c5f3e-9a0b-4e2d-8c71-2f6b9e0a1d34',
  clientId: 'a7e3b9d2-1c4f-4a8e-b5d6-0e9f8c7b6a51',
  appId: 'c2b8e4f1-7d3a-4c9b-a0e6-5f1d2c3b4a97',
  version: '1.2.3',
});
