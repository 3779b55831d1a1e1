import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useSessionStore, type Me } from '../src/stores/session';

// Unit level: the store's own logic against a stubbed client; the gateway is tested on its own.
const stub = vi.hoisted(() => ({
  setElderMode: vi.fn(),
  api: {
    auth: {
      me: { query: vi.fn() },
      setElderMode: { mutate: vi.fn() },
      signInResident: { mutate: vi.fn() },
      signInStaff: { mutate: vi.fn() },
      signOut: { mutate: vi.fn() },
    },
  },
}));

vi.mock('../src/api', () => ({ api: stub.api }));
vi.mock('@portal/ui', () => ({ setElderMode: stub.setElderMode }));
vi.mock('@portal/api-client', () => ({
  describeError: (error: unknown) => ({
    messageKey: 'errors.unexpected',
    params: {},
    fieldErrors: {},
    code: (error as { code?: string }).code ?? null,
  }),
}));

const RESIDENT = { kind: 'RESIDENT', name: '林小梅', elderMode: null, offerElderMode: true } as unknown as Me;

function staff(role: string, elderMode: boolean | null = null) {
  return { kind: 'STAFF', role, name: '陈', elderMode, offerElderMode: false } as unknown as Me;
}

beforeEach(() => {
  vi.resetAllMocks();
  setActivePinia(createPinia());
});

describe('session store', () => {
  it('knows who is signed in once loaded', async () => {
    stub.api.auth.me.query.mockResolvedValue(RESIDENT);
    const store = useSessionStore();
    expect(store.loaded).toBe(false);
    await store.load();
    expect(store.loaded).toBe(true);
    expect(store.me).toEqual(RESIDENT);
    expect(store.isResident).toBe(true);
    expect(store.isCounterStaff).toBe(false);
    expect(store.isCardOffice).toBe(false);
  });

  it('tells counter staff from card office staff', async () => {
    stub.api.auth.me.query.mockResolvedValueOnce(staff('COUNTER')).mockResolvedValueOnce(staff('CARD_OFFICE'));
    const store = useSessionStore();
    await store.load();
    expect([store.isResident, store.isCounterStaff, store.isCardOffice]).toEqual([false, true, false]);
    await store.load();
    expect([store.isResident, store.isCounterStaff, store.isCardOffice]).toEqual([false, false, true]);
  });

  it('treats an unauthorized answer as signed out, and passes on any other failure', async () => {
    stub.api.auth.me.query
      .mockRejectedValueOnce(Object.assign(new Error('no session'), { code: 'UNAUTHORIZED' }))
      .mockRejectedValueOnce(Object.assign(new Error('down'), { code: 'SERVICE_UNAVAILABLE' }));
    const store = useSessionStore();
    await store.load();
    expect(store.me).toBeNull();
    expect(store.loaded).toBe(true);

    setActivePinia(createPinia());
    const again = useSessionStore();
    await expect(again.load()).rejects.toThrow('down');
    expect(again.loaded).toBe(false);
  });

  it('applies the user’s own elder-mode choice, and none when they have not made one', async () => {
    stub.api.auth.me.query.mockResolvedValueOnce(RESIDENT).mockResolvedValueOnce(staff('COUNTER', true));
    const store = useSessionStore();
    await store.load();
    expect(stub.setElderMode).not.toHaveBeenCalled();
    await store.load();
    expect(stub.setElderMode).toHaveBeenCalledWith(true);
  });

  it('remembers an elder-mode switch for the signed-in user and stops offering it', async () => {
    stub.api.auth.me.query.mockResolvedValue(RESIDENT);
    stub.api.auth.setElderMode.mutate.mockRejectedValue(new Error('offline'));
    const store = useSessionStore();
    await store.load();
    await store.chooseElderMode(true);
    expect(stub.setElderMode).toHaveBeenCalledWith(true);
    expect(stub.api.auth.setElderMode.mutate).toHaveBeenCalledWith({ on: true });
    expect(store.me).toMatchObject({ elderMode: true, offerElderMode: false });
  });

  it('switches elder mode for a visitor without asking the gateway', async () => {
    const store = useSessionStore();
    await store.chooseElderMode(false);
    expect(stub.setElderMode).toHaveBeenCalledWith(false);
    expect(stub.api.auth.setElderMode.mutate).not.toHaveBeenCalled();
  });

  it('signs residents and staff in, forgetting that the last session expired', async () => {
    stub.api.auth.me.query.mockResolvedValueOnce(RESIDENT).mockResolvedValueOnce(staff('COUNTER'));
    const store = useSessionStore();
    store.markExpired();
    expect(store.expired).toBe(true);
    await store.signInResident('440000199001011234', 'secret');
    expect(stub.api.auth.signInResident.mutate).toHaveBeenCalledWith({
      idNumber: '440000199001011234',
      password: 'secret',
    });
    expect(store.expired).toBe(false);
    expect(store.isResident).toBe(true);

    store.markExpired();
    await store.signInStaff('S001', 'secret');
    expect(stub.api.auth.signInStaff.mutate).toHaveBeenCalledWith({ staffNumber: 'S001', password: 'secret' });
    expect(store.expired).toBe(false);
    expect(store.isCounterStaff).toBe(true);
  });

  it('stays signed out and expired when a sign-in is refused', async () => {
    stub.api.auth.signInResident.mutate.mockRejectedValue(new Error('errors.invalidCredentials'));
    const store = useSessionStore();
    store.markExpired();
    await expect(store.signInResident('440000199001011234', 'wrong')).rejects.toThrow('errors.invalidCredentials');
    expect(store.expired).toBe(true);
    expect(store.me).toBeNull();
    expect(stub.api.auth.me.query).not.toHaveBeenCalled();
  });

  it('signs out even when the gateway cannot be reached', async () => {
    stub.api.auth.me.query.mockResolvedValue(RESIDENT);
    stub.api.auth.signOut.mutate.mockRejectedValue(new Error('offline'));
    const store = useSessionStore();
    await store.load();
    await store.signOut();
    expect(store.me).toBeNull();
    expect(store.isResident).toBe(false);
  });

  it('marks an ended session as expired and signed out', async () => {
    stub.api.auth.me.query.mockResolvedValue(RESIDENT);
    const store = useSessionStore();
    await store.load();
    store.markExpired();
    expect(store.me).toBeNull();
    expect(store.expired).toBe(true);
  });
});
