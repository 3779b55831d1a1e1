import { describe, expect, it } from 'vitest';
import { MICRO_APPS, appForPath, basePathFor, parseAssistPath } from '../src/micro-apps';

const AUTHORIZATION = '0b7c2f4e-3a1d-4c8e-9f60-1d2e3f4a5b6c';

function app(name: string) {
  const found = MICRO_APPS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no app ${name}`);
  return found;
}

describe('parseAssistPath', () => {
  it('reads the authorization and the rest of an assisted path', () => {
    expect(parseAssistPath(`/assist/${AUTHORIZATION}/card/contributions`)).toEqual({
      authorizationId: AUTHORIZATION,
      rest: '/card/contributions',
    });
  });

  it('takes the bare authorization path as its root', () => {
    expect(parseAssistPath(`/assist/${AUTHORIZATION}`)).toEqual({ authorizationId: AUTHORIZATION, rest: '/' });
  });

  it('is null for resident paths and for anything that is not an authorization id', () => {
    expect(parseAssistPath('/card')).toBeNull();
    expect(parseAssistPath('/')).toBeNull();
    expect(parseAssistPath('/assist')).toBeNull();
    expect(parseAssistPath('/assist/not-an-id/card')).toBeNull();
    expect(parseAssistPath(`/assist/${AUTHORIZATION.toUpperCase()}/card`)).toBeNull();
    expect(parseAssistPath(`/assist/${AUTHORIZATION}x/card`)).toBeNull();
    expect(parseAssistPath(`/x/assist/${AUTHORIZATION}/card`)).toBeNull();
  });
});

describe('appForPath', () => {
  it('finds the app that owns a resident path, at its root or below', () => {
    expect(appForPath('/card')?.name).toBe('card');
    expect(appForPath('/card/benefits')?.name).toBe('card');
    expect(appForPath('/health/encounters/e1')?.name).toBe('health');
    expect(appForPath('/enrollment/review')?.name).toBe('enrollment');
    expect(appForPath('/eldercare/provider')?.name).toBe('eldercare');
  });

  it('finds the app under an assisted path', () => {
    expect(appForPath(`/assist/${AUTHORIZATION}/health`)?.name).toBe('health');
    expect(appForPath(`/assist/${AUTHORIZATION}/eldercare/orders`)?.name).toBe('eldercare');
  });

  it('matches whole path segments only, and owns nothing of the shell', () => {
    expect(appForPath('/cards')).toBeNull();
    expect(appForPath('/healthy/card')).toBeNull();
    expect(appForPath('/')).toBeNull();
    expect(appForPath('/messages')).toBeNull();
    expect(appForPath('/staff')).toBeNull();
    expect(appForPath(`/assist/${AUTHORIZATION}`)).toBeNull();
    expect(appForPath(`/assist/${AUTHORIZATION}/cardx`)).toBeNull();
  });
});

describe('basePathFor', () => {
  it('is the app’s own path for a resident', () => {
    expect(basePathFor(app('card'), '/card/benefits')).toBe('/card');
  });

  it('keeps the authorization in assisted mode', () => {
    expect(basePathFor(app('health'), `/assist/${AUTHORIZATION}/health/timeline`)).toBe(
      `/assist/${AUTHORIZATION}/health`,
    );
  });
});

describe('the micro-apps', () => {
  it('each has its own name, specifier and path', () => {
    const unique = (values: string[]) => new Set(values).size === values.length;
    expect(unique(MICRO_APPS.map((entry) => entry.name))).toBe(true);
    expect(unique(MICRO_APPS.map((entry) => entry.specifier))).toBe(true);
    expect(unique(MICRO_APPS.map((entry) => entry.path))).toBe(true);
    for (const entry of MICRO_APPS) {
      expect(entry.specifier).toBe(`@portal/app-${entry.name}`);
      expect(entry.path).toBe(`/${entry.name}`);
    }
  });
});
