import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useReviewStore } from '../src/stores/review';

// Unit level: the store's own logic against a stubbed client; the gateway is tested on its own.
const stub = vi.hoisted(() => ({
  api: {
    enrollment: {
      review: {
        schools: { query: vi.fn() },
        stats: { query: vi.fn() },
        queue: { query: vi.fn() },
        application: { query: vi.fn() },
        decide: { mutate: vi.fn() },
        document: { query: vi.fn() },
      },
      allocation: {
        overview: { query: vi.fn() },
        round: { query: vi.fn() },
        openRound: { mutate: vi.fn() },
        preview: { mutate: vi.fn() },
        commit: { mutate: vi.fn() },
      },
    },
  },
}));

vi.mock('@portal/api-client', () => ({ getPortalClient: () => stub.api }));

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((yes) => (resolve = yes));
  return { promise, resolve };
}

function queuePage(ids: string[], nextCursor: string | null) {
  return { applications: ids.map((id) => ({ id })), nextCursor };
}

beforeEach(() => {
  vi.resetAllMocks();
  setActivePinia(createPinia());
});

describe('enrollment review store: the queue', () => {
  it('pages forward and back through the queue with its filters', async () => {
    stub.api.enrollment.review.queue.query
      .mockResolvedValueOnce(queuePage(['a1'], 'c1'))
      .mockResolvedValueOnce(queuePage(['a2'], 'c2'))
      .mockResolvedValueOnce(queuePage(['a3'], null))
      .mockResolvedValueOnce(queuePage(['a2'], 'c2'))
      .mockResolvedValueOnce(queuePage(['a1'], 'c1'));
    const store = useReviewStore();
    await store.setFilters({ status: 'SUBMITTED' });
    expect(stub.api.enrollment.review.queue.query).toHaveBeenLastCalledWith({ status: 'SUBMITTED' });
    await store.nextPage();
    expect(stub.api.enrollment.review.queue.query).toHaveBeenLastCalledWith({ status: 'SUBMITTED', cursor: 'c1' });
    await store.nextPage();
    expect(stub.api.enrollment.review.queue.query).toHaveBeenLastCalledWith({ status: 'SUBMITTED', cursor: 'c2' });
    expect(store.previousCursors).toEqual([undefined, 'c1']);

    // The last page has no next one.
    await store.nextPage();
    expect(stub.api.enrollment.review.queue.query).toHaveBeenCalledTimes(3);

    await store.previousPage();
    expect(stub.api.enrollment.review.queue.query).toHaveBeenLastCalledWith({ status: 'SUBMITTED', cursor: 'c1' });
    expect(store.page).toEqual(queuePage(['a2'], 'c2'));
    await store.previousPage();
    expect(stub.api.enrollment.review.queue.query).toHaveBeenLastCalledWith({ status: 'SUBMITTED' });
    expect(store.previousCursors).toEqual([]);
    expect(store.page).toEqual(queuePage(['a1'], 'c1'));

    // On the first page there is no previous one.
    await store.previousPage();
    expect(stub.api.enrollment.review.queue.query).toHaveBeenCalledTimes(5);
  });

  it('starts again from the first page when the filters change', async () => {
    stub.api.enrollment.review.queue.query
      .mockResolvedValueOnce(queuePage(['a1'], 'c1'))
      .mockResolvedValueOnce(queuePage(['a2'], null))
      .mockResolvedValueOnce(queuePage(['b1'], null));
    const store = useReviewStore();
    await store.setFilters({});
    await store.nextPage();
    await store.setFilters({ category: 'MIGRANT' });
    expect(stub.api.enrollment.review.queue.query).toHaveBeenLastCalledWith({ category: 'MIGRANT' });
    expect(store.previousCursors).toEqual([]);
    expect(store.filters).toEqual({ category: 'MIGRANT' });
    expect(store.page).toEqual(queuePage(['b1'], null));
  });

  it('lets the later request win when an earlier answer arrives last', async () => {
    const older = deferred<unknown>();
    stub.api.enrollment.review.queue.query
      .mockReturnValueOnce(older.promise)
      .mockResolvedValueOnce(queuePage(['new'], null));
    const store = useReviewStore();
    const first = store.setFilters({ status: 'SUBMITTED' });
    await store.setFilters({ status: 'APPROVED' });
    older.resolve(queuePage(['old'], 'c-old'));
    await first;
    expect(store.page).toEqual(queuePage(['new'], null));
  });
});

describe('enrollment review store: applications and allocation', () => {
  it('loads the schools once', async () => {
    stub.api.enrollment.review.schools.query.mockResolvedValue([{ id: 's1' }]);
    const store = useReviewStore();
    await store.loadSchools();
    await store.loadSchools();
    expect(stub.api.enrollment.review.schools.query).toHaveBeenCalledTimes(1);
    expect(store.schools).toEqual([{ id: 's1' }]);
  });

  it('forgets the application under review when another is opened', async () => {
    const second = deferred<unknown>();
    stub.api.enrollment.review.application.query
      .mockResolvedValueOnce({ id: 'a1', version: 1 })
      .mockReturnValueOnce(second.promise);
    const store = useReviewStore();
    await store.loadApplication('a1');
    const opening = store.loadApplication('a2');
    expect(store.application).toBeNull();
    second.resolve({ id: 'a2', version: 3 });
    await opening;
    expect(store.application).toEqual({ id: 'a2', version: 3 });
  });

  it('sends a decision with the version the reviewer saw', async () => {
    stub.api.enrollment.review.decide.mutate.mockResolvedValue({ status: 'APPROVED' });
    const store = useReviewStore();
    const input = { applicationId: 'a1', version: 2, decision: 'APPROVE' as const };
    await expect(store.decide(input)).resolves.toEqual({ status: 'APPROVED' });
    expect(stub.api.enrollment.review.decide.mutate).toHaveBeenCalledWith(input);
  });

  it('reloads the allocation overview after opening and committing a round, not after a dry run', async () => {
    stub.api.enrollment.allocation.overview.query.mockResolvedValue({ schools: [] });
    stub.api.enrollment.allocation.openRound.mutate.mockResolvedValue({ seedCommitment: 'ab' });
    stub.api.enrollment.allocation.preview.mutate.mockResolvedValue({ dryRunId: 'd1' });
    stub.api.enrollment.allocation.commit.mutate.mockResolvedValue({ runId: 'r1' });
    const store = useReviewStore();
    const round = { schoolId: 's1', round: 1 };
    await expect(store.openRound(round)).resolves.toEqual({ seedCommitment: 'ab' });
    expect(stub.api.enrollment.allocation.overview.query).toHaveBeenCalledTimes(1);
    await expect(store.previewAllocation(round)).resolves.toEqual({ dryRunId: 'd1' });
    expect(stub.api.enrollment.allocation.overview.query).toHaveBeenCalledTimes(1);
    await expect(store.commitAllocation({ ...round, dryRunId: 'd1' })).resolves.toEqual({ runId: 'r1' });
    expect(stub.api.enrollment.allocation.commit.mutate).toHaveBeenCalledWith({ ...round, dryRunId: 'd1' });
    expect(stub.api.enrollment.allocation.overview.query).toHaveBeenCalledTimes(2);
    expect(store.allocation).toEqual({ schools: [] });
  });

  it('leaves the overview as it was when a commit is refused', async () => {
    stub.api.enrollment.allocation.commit.mutate.mockRejectedValue(new Error('errors.enrollment.allocationChanged'));
    const store = useReviewStore();
    await expect(store.commitAllocation({ schoolId: 's1', round: 1, dryRunId: 'd1' })).rejects.toThrow(
      'allocationChanged',
    );
    expect(stub.api.enrollment.allocation.overview.query).not.toHaveBeenCalled();
  });
});
