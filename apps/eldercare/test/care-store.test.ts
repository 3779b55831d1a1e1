import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useCareStore } from '../src/stores/care';
import { useFamilyStore } from '../src/stores/family';

// Unit level: the stores' own logic against a stubbed client; the gateway is tested on its own.
const stub = vi.hoisted(() => ({
  context: { authorizationId: null as string | null, basePath: '/eldercare' },
  api: {
    delegation: {
      received: { query: vi.fn() },
      candidates: { query: vi.fn() },
      given: { query: vi.fn() },
      grant: { mutate: vi.fn() },
      revoke: { mutate: vi.fn() },
    },
    eldercare: {
      profile: { query: vi.fn() },
      updateProfile: { mutate: vi.fn() },
      requestAssessment: { mutate: vi.fn() },
      catalogue: { query: vi.fn() },
      book: { mutate: vi.fn() },
      orders: { query: vi.fn() },
      cancel: { mutate: vi.fn() },
      rate: { mutate: vi.fn() },
    },
  },
}));

vi.mock('@portal/api-client', () => ({ getPortalClient: () => stub.api }));
// The real person guard, so the tests cover the dropping of late answers the store relies on.
vi.mock('@portal/ui', async () => ({
  useMicroAppContext: () => stub.context,
  createPersonGuard: (await import('../../../packages/ui/src/person-guard')).createPersonGuard,
}));

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

describe('care store', () => {
  it('names the delegation the resident acts under, or nobody for their own care', async () => {
    stub.api.eldercare.profile.query.mockResolvedValue({ name: '林' });
    const store = useCareStore();
    await store.loadProfile();
    expect(stub.api.eldercare.profile.query).toHaveBeenLastCalledWith({});
    store.setDelegation('g1');
    await store.loadCatalogue('MEAL');
    expect(stub.api.eldercare.catalogue.query).toHaveBeenLastCalledWith({ delegationId: 'g1', kind: 'MEAL' });
  });

  it('always names the authorization in assisted mode, and has no delegations there', async () => {
    stub.context.authorizationId = AUTHORIZATION;
    stub.api.eldercare.orders.query.mockResolvedValue({ orders: [{ id: 'o1' }] });
    const store = useCareStore();
    store.setDelegation('g1');
    expect(store.delegationId).toBeNull();
    await store.loadOrders('UPCOMING');
    expect(stub.api.eldercare.orders.query).toHaveBeenCalledWith({ authorizationId: AUTHORIZATION, when: 'UPCOMING' });
    expect(store.orders).toEqual({ UPCOMING: [{ id: 'o1' }], PAST: null });
    await store.loadReceived();
    expect(stub.api.delegation.received.query).not.toHaveBeenCalled();
  });

  it('forgets everything loaded when switching whom one acts for, and drops late answers', async () => {
    const late = deferred<unknown>();
    stub.api.eldercare.profile.query.mockResolvedValueOnce({ name: 'own' }).mockReturnValueOnce(late.promise);
    stub.api.eldercare.catalogue.query.mockResolvedValue({ items: [] });
    stub.api.eldercare.orders.query.mockResolvedValue({ orders: [] });
    const store = useCareStore();
    await store.loadProfile();
    await store.loadCatalogue();
    await store.loadOrders('PAST');
    const loading = store.loadProfile();
    store.setDelegation('g1');
    expect(store.profile).toBeNull();
    expect(store.catalogue).toBeNull();
    expect(store.orders).toEqual({ UPCOMING: null, PAST: null });
    late.resolve({ name: 'own again' });
    await loading;
    expect(store.profile).toBeNull();
  });

  it('forgets the orders and profile after booking, and reloads after cancelling and rating', async () => {
    stub.api.eldercare.book.mutate.mockResolvedValue({ id: 'o2' });
    stub.api.eldercare.orders.query.mockResolvedValue({ orders: [] });
    stub.api.eldercare.profile.query.mockResolvedValue({ name: 'own' });
    const store = useCareStore();
    await store.loadProfile();
    await expect(store.book('slot-1', 'key-1', undefined)).resolves.toEqual({ id: 'o2' });
    expect(stub.api.eldercare.book.mutate).toHaveBeenCalledWith({
      slotId: 'slot-1',
      requestKey: 'key-1',
      note: undefined,
    });
    expect(store.profile).toBeNull();
    await store.cancel('o2');
    expect(stub.api.eldercare.cancel.mutate).toHaveBeenCalledWith({ orderId: 'o2' });
    expect(stub.api.eldercare.orders.query).toHaveBeenLastCalledWith({ when: 'UPCOMING' });
    await store.rate('o1', 5, '很好');
    expect(stub.api.eldercare.rate.mutate).toHaveBeenCalledWith({ orderId: 'o1', stars: 5, comment: '很好' });
    expect(stub.api.eldercare.orders.query).toHaveBeenLastCalledWith({ when: 'PAST' });
  });

  it('reloads the profile after asking for an assessment', async () => {
    stub.api.eldercare.requestAssessment.mutate.mockResolvedValue({ id: 'as1' });
    stub.api.eldercare.profile.query.mockResolvedValue({ assessment: 'REQUESTED' });
    const store = useCareStore();
    store.setDelegation('g1');
    await expect(store.requestAssessment()).resolves.toEqual({ id: 'as1' });
    expect(stub.api.eldercare.requestAssessment.mutate).toHaveBeenCalledWith({ delegationId: 'g1' });
    expect(store.profile).toEqual({ assessment: 'REQUESTED' });
  });
});

describe('eldercare family store', () => {
  it('loads candidates and given delegations, and reloads what was given after a grant or revocation', async () => {
    stub.api.delegation.candidates.query.mockResolvedValue({ people: [] });
    stub.api.delegation.given.query.mockResolvedValueOnce({ grants: [] }).mockResolvedValue({ grants: [{ id: 'g1' }] });
    stub.api.delegation.grant.mutate.mockResolvedValue({ id: 'g1' });
    const store = useFamilyStore();
    await store.load();
    expect(store.candidates).toEqual({ people: [] });
    expect(store.given).toEqual({ grants: [] });
    const request = { granteeId: 'p2', service: 'ELDERCARE', endsOn: '2027-01-01' } as never;
    await expect(store.grant(request)).resolves.toEqual({ id: 'g1' });
    expect(store.given).toEqual({ grants: [{ id: 'g1' }] });
    await store.revoke('g1');
    expect(stub.api.delegation.revoke.mutate).toHaveBeenCalledWith({ delegationId: 'g1' });
    expect(stub.api.delegation.given.query).toHaveBeenCalledTimes(3);
  });
});
