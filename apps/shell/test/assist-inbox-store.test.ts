import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useAssistStore } from '../src/stores/assist';
import { useInboxStore } from '../src/stores/inbox';
import { useSessionStore, type Me } from '../src/stores/session';

// Unit level: the stores' own logic against a stubbed client; the gateway is tested on its own.
const stub = vi.hoisted(() => ({
  pinia: null as Pinia | null,
  api: {
    assist: { get: { query: vi.fn() }, end: { mutate: vi.fn() } },
    messages: { unreadCount: { query: vi.fn() } },
  },
}));

vi.mock('../src/api', () => ({ api: stub.api }));
vi.mock('../src/pinia', () => ({
  get shellPinia() {
    return stub.pinia;
  },
}));
vi.mock('@portal/ui', () => ({ setElderMode: vi.fn() }));
vi.mock('@portal/api-client', () => ({ DATA_CHANGED_EVENT: 'portal:data-changed', describeError: vi.fn() }));

const AUTHORIZATION = '0b7c2f4e-3a1d-4c8e-9f60-1d2e3f4a5b6c';
const OTHER = '1c8d3e5f-4b2e-4d9f-8a71-2e3f4a5b6c7d';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((yes) => (resolve = yes));
  return { promise, resolve };
}

function signIn(kind: 'RESIDENT' | 'STAFF') {
  useSessionStore().me = { kind, role: kind === 'STAFF' ? 'COUNTER' : undefined } as unknown as Me;
}

beforeEach(() => {
  vi.resetAllMocks();
  stub.pinia = createPinia();
  setActivePinia(stub.pinia);
});

describe('assist store', () => {
  it('shows the authorization staff work under', async () => {
    const authorization = { id: AUTHORIZATION, state: 'ACTIVE', scopes: ['CARD'] };
    stub.api.assist.get.query.mockResolvedValue(authorization);
    const store = useAssistStore();
    await store.open(AUTHORIZATION);
    expect(stub.api.assist.get.query).toHaveBeenCalledWith({ authorizationId: AUTHORIZATION });
    expect(store.current).toEqual(authorization);
  });

  it('shows one that is not theirs, or does not exist, as ended', async () => {
    stub.api.assist.get.query.mockRejectedValue(new Error('errors.authorizationNotFound'));
    const store = useAssistStore();
    await store.open(AUTHORIZATION);
    expect(store.current).toMatchObject({
      id: AUTHORIZATION,
      state: 'ENDED',
      scopes: [],
      includesSensitiveHealth: false,
      resident: null,
    });
  });

  it('forgets the previous authorization at once when another is opened', async () => {
    const second = deferred<unknown>();
    stub.api.assist.get.query
      .mockResolvedValueOnce({ id: AUTHORIZATION, state: 'ACTIVE' })
      .mockReturnValueOnce(second.promise);
    const store = useAssistStore();
    await store.open(AUTHORIZATION);
    const opening = store.open(OTHER);
    expect(store.current).toBeNull();
    second.resolve({ id: OTHER, state: 'ACTIVE' });
    await opening;
    expect(store.current).toEqual({ id: OTHER, state: 'ACTIVE' });
  });

  it('clears the banner when the authorization is ended, and keeps it when ending fails', async () => {
    stub.api.assist.get.query.mockResolvedValue({ id: AUTHORIZATION, state: 'ACTIVE' });
    stub.api.assist.end.mutate.mockRejectedValueOnce(new Error('offline')).mockResolvedValueOnce(undefined);
    const store = useAssistStore();
    await store.open(AUTHORIZATION);
    await expect(store.end(AUTHORIZATION)).rejects.toThrow('offline');
    expect(store.current).not.toBeNull();
    await store.end(AUTHORIZATION);
    expect(stub.api.assist.end.mutate).toHaveBeenCalledWith({ authorizationId: AUTHORIZATION });
    expect(store.current).toBeNull();
  });
});

describe('inbox store', () => {
  it('has no unread messages for staff and visitors, and does not ask', async () => {
    const inbox = useInboxStore();
    await inbox.refresh();
    signIn('STAFF');
    await inbox.refresh();
    expect(inbox.unread).toBe(0);
    expect(stub.api.messages.unreadCount.query).not.toHaveBeenCalled();
  });

  it('shows a resident’s unread count, and keeps the last one when the call fails', async () => {
    stub.api.messages.unreadCount.query.mockResolvedValueOnce({ unread: 4 }).mockRejectedValueOnce(new Error('down'));
    signIn('RESIDENT');
    const inbox = useInboxStore();
    await inbox.refresh();
    expect(inbox.unread).toBe(4);
    await inbox.refresh();
    expect(inbox.unread).toBe(4);
  });

  it('never lets an older answer overwrite a newer one', async () => {
    const older = deferred<{ unread: number }>();
    stub.api.messages.unreadCount.query.mockReturnValueOnce(older.promise).mockResolvedValueOnce({ unread: 2 });
    signIn('RESIDENT');
    const inbox = useInboxStore();
    const first = inbox.refresh();
    await inbox.refresh();
    older.resolve({ unread: 9 });
    await first;
    expect(inbox.unread).toBe(2);
  });

  it('drops an answer that arrives after the resident signed out', async () => {
    const answer = deferred<{ unread: number }>();
    stub.api.messages.unreadCount.query.mockReturnValueOnce(answer.promise);
    signIn('RESIDENT');
    const inbox = useInboxStore();
    const refreshing = inbox.refresh();
    useSessionStore().me = null;
    answer.resolve({ unread: 5 });
    await refreshing;
    expect(inbox.unread).toBe(0);
  });

  it('shows messages marked read at once, never below zero, and asks again', async () => {
    const pending = deferred<{ unread: number }>();
    stub.api.messages.unreadCount.query
      .mockResolvedValueOnce({ unread: 3 })
      .mockReturnValueOnce(pending.promise)
      .mockResolvedValue({ unread: 0 });
    signIn('RESIDENT');
    const inbox = useInboxStore();
    await inbox.refresh();
    inbox.markedRead(2);
    expect(inbox.unread).toBe(1);
    expect(stub.api.messages.unreadCount.query).toHaveBeenCalledTimes(2);
    inbox.markedRead(5);
    expect(inbox.unread).toBe(0);
    // The count asked for before the second marking is older than it: dropped.
    pending.resolve({ unread: 1 });
    await Promise.resolve();
    await Promise.resolve();
    expect(inbox.unread).toBe(0);
    inbox.markedRead('all');
    expect(inbox.unread).toBe(0);
  });
});
