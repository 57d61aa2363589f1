/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_TIES_API_BASE_URL?: string;
  readonly VITE_TIES_CLIENT_ID?: string;
  readonly VITE_TIES_SCOPE?: string;
  readonly VITE_TIES_AUTHORITY?: string;
  readonly VITE_TIES_DEV_SIGN_IN_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
