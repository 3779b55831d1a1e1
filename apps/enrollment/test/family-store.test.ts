import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useFamilyStore } from '../src/stores/family';

// Unit level: the store's own logic against a stubbed client; the gateway is tested on its own.
const stub = vi.hoisted(() => ({
  context: { authorizationId: null as string | null, basePath: '/enrollment' },
  api: {
    enrollment: {
      overview: { query: vi.fn() },
      application: {
        start: { mutate: vi.fn() },
        get: { query: vi.fn() },
        savePreferences: { mutate: vi.fn() },
        submit: { mutate: vi.fn() },
        respond: { mutate: vi.fn() },
        acceptOffer: { mutate: vi.fn() },
        declineOffer: { mutate: vi.fn() },
        lottery: { query: vi.fn() },
        lotteryList: { query: vi.fn() },
      },
      documents: { upload: { mutate: vi.fn() }, remove: { mutate: vi.fn() }, download: { query: vi.fn() } },
    },
  },
}));

vi.mock('@portal/api-client', () => ({ getPortalClient: () => stub.api }));
vi.mock('@portal/ui', () => ({ useMicroAppContext: () => stub.context }));

const AUTHORIZATION = '0b7c2f4e-3a1d-4c8e-9f60-1d2e3f4a5b6c';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((yes) => (resolve = yes));
  return { promise, resolve };
}

beforeEach(() => {
  vi.resetAllMocks();
  stub.context.authorizationId = null;
  setActivePinia(createPinia());
});

describe('enrollment family store', () => {
  it('names nobody for a resident and the authorization in assisted mode', async () => {
    stub.api.enrollment.overview.query.mockResolvedValue({ windows: [] });
    const resident = useFamilyStore();
    expect(resident.assisted).toBe(false);
    await resident.loadOverview();
    expect(stub.api.enrollment.overview.query).toHaveBeenLastCalledWith({});
    expect(resident.overview).toEqual({ windows: [] });

    setActivePinia(createPinia());
    stub.context.authorizationId = AUTHORIZATION;
    const assisted = useFamilyStore();
    expect(assisted.assisted).toBe(true);
    await assisted.loadOverview();
    await assisted.start('child-1', 'PRIMARY');
    expect(stub.api.enrollment.overview.query).toHaveBeenLastCalledWith({ authorizationId: AUTHORIZATION });
    expect(stub.api.enrollment.application.start.mutate).toHaveBeenCalledWith({
      authorizationId: AUTHORIZATION,
      childId: 'child-1',
      level: 'PRIMARY',
    });
  });

  it('forgets the application and its notice when another is opened, and keeps them for the same one', async () => {
    const second = deferred<unknown>();
    stub.api.enrollment.application.get.query
      .mockResolvedValueOnce({ id: 'a1', status: 'NEEDS_DOCUMENTS' })
      .mockResolvedValueOnce({ id: 'a1', status: 'SUBMITTED' })
      .mockResolvedValueOnce({ id: 'a1', status: 'SUBMITTED' })
      .mockReturnValueOnce(second.promise);
    const store = useFamilyStore();
    await store.loadApplication('a1');
    await store.respond('a1', '');
    expect(stub.api.enrollment.application.respond.mutate).toHaveBeenCalledWith({ applicationId: 'a1' });
    expect(store.notice).toBe('request.sent');

    await store.loadApplication('a1');
    expect(store.notice).toBe('request.sent');

    const opening = store.loadApplication('a2');
    expect(store.application).toBeNull();
    expect(store.notice).toBeNull();
    second.resolve({ id: 'a2', status: 'DRAFT' });
    await opening;
    expect(store.application).toEqual({ id: 'a2', status: 'DRAFT' });
  });

  it('sends the family’s note with its answer only when there is one', async () => {
    stub.api.enrollment.application.get.query.mockResolvedValue({ id: 'a1' });
    const store = useFamilyStore();
    await store.respond('a1', '户口本已上传');
    expect(stub.api.enrollment.application.respond.mutate).toHaveBeenCalledWith({
      applicationId: 'a1',
      note: '户口本已上传',
    });
  });

  it('submits once per attempt: a retry after a failure carries the same request key', async () => {
    stub.api.enrollment.application.submit.mutate
      .mockRejectedValueOnce(new Error('network'))
      .mockResolvedValueOnce({ reference: 'SW-1' })
      .mockResolvedValueOnce({ reference: 'SW-1' });
    stub.api.enrollment.application.get.query.mockResolvedValue({ id: 'a1', status: 'SUBMITTED' });
    const store = useFamilyStore();
    await expect(store.submit('a1')).rejects.toThrow('network');
    await expect(store.submit('a1')).resolves.toEqual({ reference: 'SW-1' });
    const keys = stub.api.enrollment.application.submit.mutate.mock.calls.map(
      ([input]) => (input as { requestKey: string }).requestKey,
    );
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(stub.api.enrollment.application.get.query).toHaveBeenCalledTimes(1);

    // Once it succeeded, a new submission is a new attempt.
    await store.submit('a1');
    const third = stub.api.enrollment.application.submit.mutate.mock.calls[2]?.[0] as { requestKey: string };
    expect(third.requestKey).not.toBe(keys[0]);
  });

  it('keeps request keys apart per application', async () => {
    stub.api.enrollment.application.submit.mutate.mockRejectedValue(new Error('network'));
    const store = useFamilyStore();
    await expect(store.submit('a1')).rejects.toThrow();
    await expect(store.submit('a2')).rejects.toThrow();
    const [first, second] = stub.api.enrollment.application.submit.mutate.mock.calls.map(
      ([input]) => input as { applicationId: string; requestKey: string },
    );
    expect(first?.applicationId).toBe('a1');
    expect(second?.applicationId).toBe('a2');
    expect(first?.requestKey).not.toBe(second?.requestKey);
  });

  it('reloads the application after every change to it', async () => {
    stub.api.enrollment.application.get.query.mockResolvedValue({ id: 'a1' });
    stub.api.enrollment.application.savePreferences.mutate.mockResolvedValue({ saved: 2 });
    stub.api.enrollment.documents.upload.mutate.mockResolvedValue({ id: 'd1' });
    const store = useFamilyStore();
    await expect(store.savePreferences('a1', ['s1', 's2'])).resolves.toEqual({ saved: 2 });
    expect(stub.api.enrollment.application.savePreferences.mutate).toHaveBeenCalledWith({
      applicationId: 'a1',
      schoolIds: ['s1', 's2'],
    });
    await expect(store.upload('a1', 'RENTAL_CONTRACT', 'contract.pdf', 'JVBERi0=')).resolves.toEqual({ id: 'd1' });
    expect(stub.api.enrollment.documents.upload.mutate).toHaveBeenCalledWith({
      applicationId: 'a1',
      kind: 'RENTAL_CONTRACT',
      fileName: 'contract.pdf',
      contentBase64: 'JVBERi0=',
    });
    await store.removeDocument('a1', 'd1');
    expect(stub.api.enrollment.documents.remove.mutate).toHaveBeenCalledWith({ documentId: 'd1' });
    await store.answerOffer('a1', true);
    await store.answerOffer('a1', false);
    expect(stub.api.enrollment.application.acceptOffer.mutate).toHaveBeenCalledWith({ applicationId: 'a1' });
    expect(stub.api.enrollment.application.declineOffer.mutate).toHaveBeenCalledWith({ applicationId: 'a1' });
    expect(stub.api.enrollment.application.acceptOffer.mutate).toHaveBeenCalledTimes(1);
    expect(stub.api.enrollment.application.get.query).toHaveBeenCalledTimes(5);
  });

  it('asks for the lottery and its published list of the application', async () => {
    stub.context.authorizationId = AUTHORIZATION;
    stub.api.enrollment.application.lottery.query.mockResolvedValue({ rounds: [] });
    stub.api.enrollment.application.lotteryList.query.mockResolvedValue({ entries: [] });
    const store = useFamilyStore();
    await expect(store.loadLottery('a1')).resolves.toEqual({ rounds: [] });
    await expect(store.loadLotteryList('a1', 'run-1')).resolves.toEqual({ entries: [] });
    expect(stub.api.enrollment.application.lottery.query).toHaveBeenCalledWith({
      authorizationId: AUTHORIZATION,
      applicationId: 'a1',
    });
    expect(stub.api.enrollment.application.lotteryList.query).toHaveBeenCalledWith({
      authorizationId: AUTHORIZATION,
      applicationId: 'a1',
      runId: 'run-1',
    });
  });
});
