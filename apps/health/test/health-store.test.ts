import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useHealthStore } from '../src/stores/health';

// Unit level: the store's own logic against a stubbed client; the gateway is tested on its own.
const stub = vi.hoisted(() => ({
  context: { authorizationId: null as string | null, basePath: '/health' },
  api: {
    health: {
      people: { query: vi.fn() },
      overview: { query: vi.fn() },
      timeline: { query: vi.fn() },
      encounter: { query: vi.fn() },
      immunizations: { query: vi.fn() },
      observations: { query: vi.fn() },
      followUps: { query: vi.fn() },
      setHiddenFromAssisted: { mutate: vi.fn() },
      exportFhir: { query: vi.fn() },
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
const CHILD = 'child-1';

/** A promise the test settles when it chooses, to let answers arrive out of order. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

function timelinePage(ids: string[], nextCursor: string | null, years?: number[]) {
  return {
    holder: { id: 'holder' },
    encounters: ids.map((id) => ({ id, hiddenFromAssisted: false })),
    nextCursor,
    ...(years ? { years } : {}),
  };
}

beforeEach(() => {
  vi.resetAllMocks();
  stub.context.authorizationId = null;
  setActivePinia(createPinia());
});

describe('health store: whose record', () => {
  it('names nobody for the resident’s own record and the child once one is chosen', async () => {
    stub.api.health.overview.query.mockResolvedValue({ holder: { id: 'me' } });
    const store = useHealthStore();
    await store.loadOverview();
    expect(stub.api.health.overview.query).toHaveBeenLastCalledWith({});

    store.setPerson(CHILD);
    expect(store.personId).toBe(CHILD);
    await store.loadOverview();
    expect(stub.api.health.overview.query).toHaveBeenLastCalledWith({ personId: CHILD });
  });

  it('always names the authorization in assisted mode and ignores a chosen person', async () => {
    stub.context.authorizationId = AUTHORIZATION;
    stub.api.health.immunizations.query.mockResolvedValue({ given: [] });
    const store = useHealthStore();
    expect(store.assisted).toBe(true);
    store.setPerson(CHILD);
    expect(store.personId).toBeNull();
    await store.loadImmunizations();
    expect(stub.api.health.immunizations.query).toHaveBeenCalledWith({ authorizationId: AUTHORIZATION });
  });

  it('loads the household’s people once, and never in assisted mode', async () => {
    stub.api.health.people.query.mockResolvedValue({ people: [{ id: CHILD }] });
    const store = useHealthStore();
    await store.loadPeople();
    await store.loadPeople();
    expect(stub.api.health.people.query).toHaveBeenCalledTimes(1);
    expect(store.people).toEqual({ people: [{ id: CHILD }] });

    setActivePinia(createPinia());
    stub.context.authorizationId = AUTHORIZATION;
    const assisted = useHealthStore();
    await assisted.loadPeople();
    expect(stub.api.health.people.query).toHaveBeenCalledTimes(1);
    expect(assisted.people).toBeNull();
  });

  it('forgets everything loaded for the previous person when switching', async () => {
    stub.api.health.overview.query.mockResolvedValue({ holder: { id: 'me' } });
    stub.api.health.timeline.query.mockResolvedValue(timelinePage(['e1'], 'c1', [2025]));
    stub.api.health.observations.query.mockResolvedValue({ trends: {} });
    stub.api.health.followUps.query.mockResolvedValue({ items: [] });
    const store = useHealthStore();
    await store.loadOverview();
    await store.setTimelineFilters({ year: 2025 });
    await store.loadObservations();
    await store.loadFollowUps();
    expect(store.timelineLoaded).toBe(true);

    store.setPerson(CHILD);
    expect(store.overview).toBeNull();
    expect(store.timelineHolder).toBeNull();
    expect(store.encounters).toEqual([]);
    expect(store.timelineNext).toBeNull();
    expect(store.timelineYears).toEqual([]);
    expect(store.timelineLoaded).toBe(false);
    expect(store.timelineFilters).toEqual({});
    expect(store.observations).toBeNull();
    expect(store.followUps).toBeNull();
  });

  it('keeps what it has when the same person is chosen again', async () => {
    stub.api.health.overview.query.mockResolvedValue({ holder: { id: 'child' } });
    const store = useHealthStore();
    store.setPerson(CHILD);
    await store.loadOverview();
    store.setPerson(CHILD);
    expect(store.overview).toEqual({ holder: { id: 'child' } });
  });

  it('drops an answer, or a failure, that arrives for the previous person', async () => {
    const mine = deferred<unknown>();
    const failing = deferred<unknown>();
    stub.api.health.overview.query.mockReturnValueOnce(mine.promise).mockReturnValueOnce(failing.promise);
    const store = useHealthStore();
    const first = store.loadOverview();
    store.setPerson(CHILD);
    mine.resolve({ holder: { id: 'me' } });
    await first;
    expect(store.overview).toBeNull();

    const second = store.loadOverview();
    store.setPerson(null);
    failing.reject(new Error('forbidden'));
    await expect(second).resolves.toBeUndefined();
    expect(store.overview).toBeNull();
  });

  it('passes on a failure for the current person', async () => {
    stub.api.health.encounter.query.mockRejectedValue(new Error('not found'));
    const store = useHealthStore();
    await expect(store.loadEncounter('e1')).rejects.toThrow('not found');
  });
});

describe('health store: timeline', () => {
  it('sends the filters, a page size and the cursor, and appends the next page', async () => {
    stub.api.health.timeline.query
      .mockResolvedValueOnce(timelinePage(['e1', 'e2'], 'c1', [2025, 2024]))
      .mockResolvedValueOnce(timelinePage(['e3'], null));
    const store = useHealthStore();
    await store.setTimelineFilters({ year: 2025, level: 'CITY' });
    expect(stub.api.health.timeline.query).toHaveBeenLastCalledWith({
      year: 2025,
      level: 'CITY',
      cursor: undefined,
      limit: 20,
    });
    expect(store.encounters.map((item) => item.id)).toEqual(['e1', 'e2']);
    expect(store.timelineYears).toEqual([2025, 2024]);

    await store.loadTimeline(true);
    expect(stub.api.health.timeline.query).toHaveBeenLastCalledWith({
      year: 2025,
      level: 'CITY',
      cursor: 'c1',
      limit: 20,
    });
    expect(store.encounters.map((item) => item.id)).toEqual(['e1', 'e2', 'e3']);
    expect(store.timelineNext).toBeNull();
    // A page without years keeps the years already known.
    expect(store.timelineYears).toEqual([2025, 2024]);
    expect(store.timelineLoaded).toBe(true);
  });

  it('lets the later request win when filters change before an answer arrives', async () => {
    const older = deferred<unknown>();
    stub.api.health.timeline.query
      .mockReturnValueOnce(older.promise)
      .mockResolvedValueOnce(timelinePage(['new'], null, [2024]));
    const store = useHealthStore();
    const first = store.setTimelineFilters({ year: 2025 });
    await store.setTimelineFilters({ year: 2024 });
    older.resolve(timelinePage(['old'], 'c-old', [2025]));
    await first;
    expect(store.encounters.map((item) => item.id)).toEqual(['new']);
    expect(store.timelineNext).toBeNull();
    expect(store.timelineFilters).toEqual({ year: 2024 });
  });
});

describe('health store: encounters', () => {
  it('forgets the encounter shown when another is opened', async () => {
    const second = deferred<unknown>();
    stub.api.health.encounter.query
      .mockResolvedValueOnce({ encounter: { id: 'e1', hiddenFromAssisted: false } })
      .mockReturnValueOnce(second.promise);
    const store = useHealthStore();
    await store.loadEncounter('e1');
    expect(store.encounter?.encounter.id).toBe('e1');
    const loading = store.loadEncounter('e2');
    expect(store.encounter).toBeNull();
    second.resolve({ encounter: { id: 'e2', hiddenFromAssisted: false } });
    await loading;
    expect(store.encounter?.encounter.id).toBe('e2');
    expect(stub.api.health.encounter.query).toHaveBeenLastCalledWith({ encounterId: 'e2' });
  });

  it('marks a hidden encounter in the timeline and on the open encounter', async () => {
    stub.api.health.timeline.query.mockResolvedValue(timelinePage(['e1', 'e2'], null));
    stub.api.health.encounter.query.mockResolvedValue({ encounter: { id: 'e2', hiddenFromAssisted: false } });
    stub.api.health.setHiddenFromAssisted.mutate.mockResolvedValue({ encounterId: 'e2', hidden: true });
    const store = useHealthStore();
    await store.loadTimeline();
    await store.loadEncounter('e2');

    await expect(store.setHiddenFromAssisted('e2', true)).resolves.toEqual({ encounterId: 'e2', hidden: true });
    expect(stub.api.health.setHiddenFromAssisted.mutate).toHaveBeenCalledWith({ encounterId: 'e2', hidden: true });
    expect(store.encounters.map((item) => [item.id, item.hiddenFromAssisted])).toEqual([
      ['e1', false],
      ['e2', true],
    ]);
    expect(store.encounter?.encounter.hiddenFromAssisted).toBe(true);
  });

  it('exports the open record: the resident’s own or the chosen child’s', async () => {
    stub.api.health.exportFhir.query.mockResolvedValue({ resourceType: 'Bundle' });
    const store = useHealthStore();
    await expect(store.exportFhir()).resolves.toEqual({ resourceType: 'Bundle' });
    expect(stub.api.health.exportFhir.query).toHaveBeenLastCalledWith({});
    store.setPerson(CHILD);
    await store.exportFhir();
    expect(stub.api.health.exportFhir.query).toHaveBeenLastCalledWith({ personId: CHILD });
  });
});
