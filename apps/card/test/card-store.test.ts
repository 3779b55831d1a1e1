import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useCardStore } from '../src/stores/card';

// Unit level: the store's own logic against a stubbed client; the gateway is tested on its own.
const stub = vi.hoisted(() => ({
  context: { authorizationId: null as string | null, basePath: '/card' },
  api: {
    card: {
      summary: { query: vi.fn() },
      contributions: { query: vi.fn() },
      benefits: { query: vi.fn() },
      reportLoss: { mutate: vi.fn() },
      requestReplacement: { mutate: vi.fn() },
      confirmPickup: { mutate: vi.fn() },
    },
  },
}));

vi.mock('@portal/api-client', () => ({ getPortalClient: () => stub.api }));
vi.mock('@portal/ui', () => ({ useMicroAppContext: () => stub.context }));

const AUTHORIZATION = '0b7c2f4e-3a1d-4c8e-9f60-1d2e3f4a5b6c';

beforeEach(() => {
  vi.resetAllMocks();
  stub.context.authorizationId = null;
  setActivePinia(createPinia());
});

describe('card store', () => {
  it('asks for the resident’s own card without naming anybody', async () => {
    stub.api.card.summary.query.mockResolvedValue({ cardNumber: 'C1' });
    const store = useCardStore();
    expect(store.assisted).toBe(false);
    await store.loadSummary();
    expect(stub.api.card.summary.query).toHaveBeenCalledWith({});
    expect(store.summary).toEqual({ cardNumber: 'C1' });
  });

  it('names the authorization in every call in assisted mode', async () => {
    stub.context.authorizationId = AUTHORIZATION;
    stub.api.card.summary.query.mockResolvedValue({ cardNumber: 'C2' });
    stub.api.card.contributions.query.mockResolvedValue({ months: [] });
    stub.api.card.benefits.query.mockResolvedValue({ payments: [], nextBefore: null });
    const store = useCardStore();
    expect(store.assisted).toBe(true);
    await store.loadSummary();
    await store.loadContributions(2025);
    await store.loadBenefits();
    expect(stub.api.card.summary.query).toHaveBeenCalledWith({ authorizationId: AUTHORIZATION });
    expect(stub.api.card.contributions.query).toHaveBeenCalledWith({ authorizationId: AUTHORIZATION, year: 2025 });
    expect(stub.api.card.benefits.query).toHaveBeenCalledWith({ authorizationId: AUTHORIZATION, before: undefined });
  });

  it('appends the next page of benefits after the cursor and replaces them on a fresh load', async () => {
    stub.api.card.benefits.query
      .mockResolvedValueOnce({ payments: [{ id: 'p1' }, { id: 'p2' }], nextBefore: 'cursor-1' })
      .mockResolvedValueOnce({ payments: [{ id: 'p3' }], nextBefore: null })
      .mockResolvedValueOnce({ payments: [{ id: 'p1' }], nextBefore: 'cursor-1' });
    const store = useCardStore();
    await store.loadBenefits();
    expect(store.benefits).toEqual([{ id: 'p1' }, { id: 'p2' }]);
    expect(store.benefitsNext).toBe('cursor-1');

    await store.loadBenefits(true);
    expect(stub.api.card.benefits.query).toHaveBeenLastCalledWith({ before: 'cursor-1' });
    expect(store.benefits).toEqual([{ id: 'p1' }, { id: 'p2' }, { id: 'p3' }]);
    expect(store.benefitsNext).toBeNull();

    await store.loadBenefits();
    expect(stub.api.card.benefits.query).toHaveBeenLastCalledWith({ before: undefined });
    expect(store.benefits).toEqual([{ id: 'p1' }]);
  });

  it('reloads the summary after reporting a loss, requesting a replacement and confirming pickup', async () => {
    stub.api.card.summary.query.mockResolvedValue({ status: 'LOST' });
    stub.api.card.requestReplacement.mutate.mockResolvedValue({ replacementId: 'r1' });
    const store = useCardStore();

    await store.reportLoss();
    expect(stub.api.card.reportLoss.mutate).toHaveBeenCalledWith({});
    expect(stub.api.card.summary.query).toHaveBeenCalledTimes(1);
    expect(store.summary).toEqual({ status: 'LOST' });

    const request = { requestKey: 'k1', reason: 'LOST' as const, pickupCenterCode: 'SW01' };
    await expect(store.requestReplacement(request)).resolves.toEqual({ replacementId: 'r1' });
    expect(stub.api.card.requestReplacement.mutate).toHaveBeenCalledWith(request);
    expect(stub.api.card.summary.query).toHaveBeenCalledTimes(2);

    await store.confirmPickup('r1');
    expect(stub.api.card.confirmPickup.mutate).toHaveBeenCalledWith({ replacementId: 'r1' });
    expect(stub.api.card.summary.query).toHaveBeenCalledTimes(3);
  });

  it('keeps the summary it had when a change is refused', async () => {
    stub.api.card.summary.query.mockResolvedValue({ status: 'ACTIVE' });
    stub.api.card.reportLoss.mutate.mockRejectedValue(new Error('refused'));
    const store = useCardStore();
    await store.loadSummary();
    await expect(store.reportLoss()).rejects.toThrow('refused');
    expect(stub.api.card.summary.query).toHaveBeenCalledTimes(1);
    expect(store.summary).toEqual({ status: 'ACTIVE' });
  });
});
