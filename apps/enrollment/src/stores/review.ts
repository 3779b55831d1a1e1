import { getPortalClient, type RouterInputs, type RouterOutputs } from '@portal/api-client';
import { defineStore } from 'pinia';
import { ref } from 'vue';

export type QueueFilters = Pick<RouterInputs['enrollment']['review']['queue'], 'status' | 'schoolId' | 'category'>;
export type QueuePage = RouterOutputs['enrollment']['review']['queue'];
export type ReviewedApplication = RouterOutputs['enrollment']['review']['application'];
export type Decision = RouterInputs['enrollment']['review']['decide']['decision'];
export type School = RouterOutputs['enrollment']['review']['schools'][number];
export type Stats = RouterOutputs['enrollment']['review']['stats'];
export type AllocationOverview = RouterOutputs['enrollment']['allocation']['overview'];
export type AllocationRound = RouterOutputs['enrollment']['allocation']['round'];
export type AllocationPreview = RouterOutputs['enrollment']['allocation']['preview'];
export type AllocationResult = RouterOutputs['enrollment']['allocation']['commit'];

/**
 * The education bureau's side: the queue with its filters and pages, one
 * application under review, and allocation. The gateway lets only
 * reviewers call any of it.
 */
export const useReviewStore = defineStore('enrollment-review', () => {
  const api = getPortalClient();

  const schools = ref<School[] | null>(null);
  const stats = ref<Stats | null>(null);
  const filters = ref<QueueFilters>({});
  const page = ref<QueuePage | null>(null);
  /** The cursors of the pages before the one shown, for 上一页. */
  const previousCursors = ref<(string | undefined)[]>([]);
  let currentCursor: string | undefined;
  let ticket = 0;
  const application = ref<ReviewedApplication | null>(null);

  async function loadSchools() {
    schools.value ??= await api.enrollment.review.schools.query();
  }

  async function loadStats() {
    stats.value = await api.enrollment.review.stats.query();
  }

  async function loadPage(cursor: string | undefined) {
    const asked = ++ticket;
    const result = await api.enrollment.review.queue.query({ ...filters.value, ...(cursor ? { cursor } : {}) });
    // A later request (other filters, another page) supersedes this one.
    if (asked !== ticket) return;
    page.value = result;
    currentCursor = cursor;
  }

  async function setFilters(next: QueueFilters) {
    filters.value = next;
    previousCursors.value = [];
    await loadPage(undefined);
  }

  async function nextPage() {
    if (!page.value?.nextCursor) return;
    const before = currentCursor;
    await loadPage(page.value.nextCursor);
    previousCursors.value = [...previousCursors.value, before];
  }

  async function previousPage() {
    if (!previousCursors.value.length) return;
    const cursor = previousCursors.value.at(-1);
    await loadPage(cursor);
    previousCursors.value = previousCursors.value.slice(0, -1);
  }

  async function loadApplication(applicationId: string) {
    if (application.value?.id !== applicationId) application.value = null;
    application.value = await api.enrollment.review.application.query({ applicationId });
  }

  async function decide(input: { applicationId: string; version: number; decision: Decision; message?: string }) {
    return api.enrollment.review.decide.mutate(input);
  }

  function downloadDocument(documentId: string) {
    return api.enrollment.review.document.query({ documentId });
  }

  const allocation = ref<AllocationOverview | null>(null);

  async function loadAllocation() {
    allocation.value = await api.enrollment.allocation.overview.query();
  }

  function loadRound(input: { schoolId: string; round: number }) {
    return api.enrollment.allocation.round.query(input);
  }

  /** 公示摇号种子: the gateway draws the round's seed (once) and publishes its SHA-256. */
  async function openRound(input: { schoolId: string; round: number }) {
    const round = await api.enrollment.allocation.openRound.mutate(input);
    await loadAllocation();
    return round;
  }

  /** A dry run with the round's own seed; the gateway records it. */
  function previewAllocation(input: { schoolId: string; round: number }) {
    return api.enrollment.allocation.preview.mutate(input);
  }

  /** Commits the outcome of the named dry run, revealing the seed. */
  async function commitAllocation(input: { schoolId: string; round: number; dryRunId: string }) {
    const result = await api.enrollment.allocation.commit.mutate(input);
    await loadAllocation();
    return result;
  }

  return {
    schools,
    stats,
    filters,
    page,
    previousCursors,
    application,
    loadSchools,
    loadStats,
    setFilters,
    nextPage,
    previousPage,
    loadApplication,
    decide,
    downloadDocument,
    allocation,
    loadAllocation,
    loadRound,
    openRound,
    previewAllocation,
    commitAllocation,
  };
});
