import { describe, expect, it } from 'vitest';
import { defaultConfig } from './config';
import { SignInRequired, captureRedirectToken, localAuthenticator } from './signIn';

describe('local sign-in', () => {
  it('CaptureRedirectToken_TokenInHash_StoresItAndRemovesItFromTheAddress', async () => {
    sessionStorage.setItem('tiesoffice.route', '#/ties');
    window.history.replaceState(null, '', '/tab/#access_token=abc.def&token_type=Bearer&expires_in=3600');
    const route = captureRedirectToken(1_000);
    expect(route).toBe('#/ties');
    expect(window.location.hash).toBe('#/ties');
    expect(window.location.href).not.toContain('abc.def');
    const auth = localAuthenticator(defaultConfig, () => 2_000);
    await expect(auth.token()).resolves.toBe('abc.def');
  });

  it('Token_Expired_RequiresSignIn', async () => {
    window.history.replaceState(null, '', '/tab/#access_token=old&expires_in=60');
    captureRedirectToken(0);
    const auth = localAuthenticator(defaultConfig, () => 60_000);
    await expect(auth.token()).rejects.toBeInstanceOf(SignInRequired);
  });

  it('Token_None_RequiresSignIn', async () => {
    await expect(localAuthenticator(defaultConfig).token()).rejects.toBeInstanceOf(SignInRequired);
  });

  it('CaptureRedirectToken_OrdinaryRoute_LeavesItAlone', () => {
    window.history.replaceState(null, '', '/tab/#/reach');
    expect(captureRedirectToken()).toBeUndefined();
    expect(window.location.hash).toBe('#/reach');
  });
});
