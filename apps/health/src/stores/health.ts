import { getPortalClient, type RouterOutputs } from '@portal/api-client';
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { createPersonGuard, useMicroAppContext } from '@portal/ui';

type People = RouterOutputs['health']['people'];
type Overview = RouterOutputs['health']['overview'];
type TimelinePage = RouterOutputs['health']['timeline'];
type EncounterPage = RouterOutputs['health']['encounter'];
type Immunizations = RouterOutputs['health']['immunizations'];
type Observations = RouterOutputs['health']['observations'];
type FollowUps = RouterOutputs['health']['followUps'];

export type FacilityLevel = 'CITY' | 'COUNTY' | 'TOWN' | 'VILLAGE';
export type EncounterType = 'OUTPATIENT' | 'INPATIENT' | 'EMERGENCY' | 'PHYSICAL_EXAM';
export type Holder = Overview['holder'];
export type TimelineEncounter = TimelinePage['encounters'][number];

export interface TimelineFilters {
  year?: number;
  level?: FacilityLevel;
  type?: EncounterType;
}

/**
 * The health app's data. Every call names the authorization in assisted mode,
 * or the minor child when a parent has chosen one; the gateway decides whose
 * record that is and what of it this viewer may see. Switching to another
 * person forgets everything loaded for the previous one, and answers that
 * arrive for the previous one are dropped.
 */
export const useHealthStore = defineStore('health', () => {
  const api = getPortalClient();
  const { authorizationId } = useMicroAppContext();
  const assisted = authorizationId !== null;

  /** The minor child whose record is open; null for the resident's own (and always in assisted mode). */
  const personId = ref<string | null>(null);
  const { personChanged, forCurrentPerson } = createPersonGuard();

  const people = ref<People | null>(null);
  const overview = ref<Overview | null>(null);
  const timelineHolder = ref<Holder | null>(null);
  const encounters = ref<TimelineEncounter[]>([]);
  const timelineNext = ref<string | null>(null);
  const timelineYears = ref<number[]>([]);
  const timelineLoaded = ref(false);
  const timelineFilters = ref<TimelineFilters>({});
  let timelineTicket = 0;
  const encounter = ref<EncounterPage | null>(null);
  const immunizations = ref<Immunizations | null>(null);
  const observations = ref<Observations | null>(null);
  const followUps = ref<FollowUps | null>(null);

  function subject(): { authorizationId: string } | { personId: string } | Record<string, never> {
    if (authorizationId) return { authorizationId };
    return personId.value ? { personId: personId.value } : {};
  }

  function reset() {
    overview.value = null;
    timelineHolder.value = null;
    encounters.value = [];
    timelineNext.value = null;
    timelineYears.value = [];
    timelineLoaded.value = false;
    timelineFilters.value = {};
    encounter.value = null;
    immunizations.value = null;
    observations.value = null;
    followUps.value = null;
  }

  function setPerson(id: string | null) {
    const next = assisted ? null : id;
    if (next === personId.value) return;
    personId.value = next;
    personChanged();
    reset();
  }

  async function loadPeople() {
    if (assisted || people.value) return;
    people.value = await api.health.people.query();
  }

  async function loadOverview() {
    await forCurrentPerson(
      () => api.health.overview.query(subject()),
      (value) => (overview.value = value),
    );
  }

  /** The first page for the current filters, or (more) the next page after what is shown. */
  async function loadTimeline(more = false) {
    const ticket = ++timelineTicket;
    const filters = timelineFilters.value;
    const cursor = more ? (timelineNext.value ?? undefined) : undefined;
    await forCurrentPerson(
      () => api.health.timeline.query({ ...subject(), ...filters, cursor, limit: 20 }),
      (page) => {
        // A later request (other filters) supersedes this one.
        if (ticket !== timelineTicket) return;
        timelineHolder.value = page.holder;
        encounters.value = more ? [...encounters.value, ...page.encounters] : page.encounters;
        timelineNext.value = page.nextCursor;
        if (page.years) timelineYears.value = page.years;
        timelineLoaded.value = true;
      },
    );
  }

  async function setTimelineFilters(filters: TimelineFilters) {
    timelineFilters.value = filters;
    await loadTimeline();
  }

  async function loadEncounter(encounterId: string) {
    if (encounter.value?.encounter.id !== encounterId) encounter.value = null;
    await forCurrentPerson(
      () => api.health.encounter.query({ ...subject(), encounterId }),
      (value) => (encounter.value = value),
    );
  }

  async function loadImmunizations() {
    await forCurrentPerson(
      () => api.health.immunizations.query(subject()),
      (value) => (immunizations.value = value),
    );
  }

  async function loadObservations() {
    await forCurrentPerson(
      () => api.health.observations.query(subject()),
      (value) => (observations.value = value),
    );
  }

  async function loadFollowUps() {
    await forCurrentPerson(
      () => api.health.followUps.query(subject()),
      (value) => (followUps.value = value),
    );
  }

  /** The resident keeps one of their own encounters out of counter views, or shows it again. */
  async function setHiddenFromAssisted(encounterId: string, hidden: boolean) {
    const result = await api.health.setHiddenFromAssisted.mutate({ encounterId, hidden });
    encounters.value = encounters.value.map((item) =>
      item.id === result.encounterId ? { ...item, hiddenFromAssisted: result.hidden } : item,
    );
    if (encounter.value?.encounter.id === result.encounterId) {
      encounter.value = {
        ...encounter.value,
        encounter: { ...encounter.value.encounter, hiddenFromAssisted: result.hidden },
      };
    }
    return result;
  }

  /** The open record as a FHIR R4 Bundle (residents only: their own or a minor child's). */
  async function exportFhir() {
    return api.health.exportFhir.query(personId.value ? { personId: personId.value } : {});
  }

  return {
    assisted,
    personId,
    people,
    overview,
    timelineHolder,
    encounters,
    timelineNext,
    timelineYears,
    timelineLoaded,
    timelineFilters,
    encounter,
    immunizations,
    observations,
    followUps,
    setPerson,
    loadPeople,
    loadOverview,
    loadTimeline,
    setTimelineFilters,
    loadEncounter,
    loadImmunizations,
    loadObservations,
    loadFollowUps,
    setHiddenFromAssisted,
    exportFhir,
  };
});
