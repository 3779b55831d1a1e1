import { getPortalClient, type RouterInputs, type RouterOutputs } from '@portal/api-client';
import { useMicroAppContext } from '@portal/ui';
import { defineStore } from 'pinia';
import { ref } from 'vue';

export type Overview = RouterOutputs['enrollment']['overview'];
export type Application = RouterOutputs['enrollment']['application']['get'];
export type Level = Overview['windows'][number]['level'];
export type DocumentKind = RouterInputs['enrollment']['documents']['upload']['kind'];
export type Lottery = RouterOutputs['enrollment']['application']['lottery'];
export type LotteryRound = Lottery['rounds'][number];
export type LotteryList = RouterOutputs['enrollment']['application']['lotteryList'];

/**
 * A family's enrollment data: the overview and the application open on
 * screen. In assisted mode every call names the authorization and the
 * gateway decides whose data it is; a resident's calls name nobody.
 */
export const useFamilyStore = defineStore('enrollment-family', () => {
  const api = getPortalClient();
  const { authorizationId } = useMicroAppContext();
  const assisted = authorizationId !== null;
  const subject = () => (authorizationId ? { authorizationId } : {});

  const overview = ref<Overview | null>(null);
  const application = ref<Application | null>(null);
  /** A message key for what the family just did, shown on the application after its panel has gone (e.g. documents sent). */
  const notice = ref<string | null>(null);
  /** One request key per submission attempt, kept until it succeeds: a double click or a retry submits once. */
  const submitKeys = new Map<string, string>();

  async function loadOverview() {
    overview.value = await api.enrollment.overview.query(subject());
  }

  async function start(childId: string, level: Level) {
    return api.enrollment.application.start.mutate({ ...subject(), childId, level });
  }

  async function loadApplication(applicationId: string) {
    if (application.value?.id !== applicationId) {
      application.value = null;
      notice.value = null;
    }
    application.value = await api.enrollment.application.get.query({ ...subject(), applicationId });
  }

  async function savePreferences(applicationId: string, schoolIds: string[]) {
    const saved = await api.enrollment.application.savePreferences.mutate({ ...subject(), applicationId, schoolIds });
    await loadApplication(applicationId);
    return saved;
  }

  async function upload(applicationId: string, kind: DocumentKind, fileName: string, contentBase64: string) {
    const document = await api.enrollment.documents.upload.mutate({
      ...subject(),
      applicationId,
      kind,
      fileName,
      contentBase64,
    });
    await loadApplication(applicationId);
    return document;
  }

  async function removeDocument(applicationId: string, documentId: string) {
    await api.enrollment.documents.remove.mutate({ ...subject(), documentId });
    await loadApplication(applicationId);
  }

  function downloadDocument(documentId: string) {
    return api.enrollment.documents.download.query({ ...subject(), documentId });
  }

  async function submit(applicationId: string) {
    let requestKey = submitKeys.get(applicationId);
    if (!requestKey) {
      requestKey = crypto.randomUUID();
      submitKeys.set(applicationId, requestKey);
    }
    const result = await api.enrollment.application.submit.mutate({ ...subject(), applicationId, requestKey });
    submitKeys.delete(applicationId);
    await loadApplication(applicationId);
    return result;
  }

  async function respond(applicationId: string, note: string) {
    await api.enrollment.application.respond.mutate({ ...subject(), applicationId, ...(note ? { note } : {}) });
    await loadApplication(applicationId);
    notice.value = 'request.sent';
  }

  async function answerOffer(applicationId: string, accept: boolean) {
    if (accept) await api.enrollment.application.acceptOffer.mutate({ ...subject(), applicationId });
    else await api.enrollment.application.declineOffer.mutate({ ...subject(), applicationId });
    await loadApplication(applicationId);
  }

  /** 摇号: the rounds the application was in (the gateway shows no others). */
  function loadLottery(applicationId: string) {
    return api.enrollment.application.lottery.query({ ...subject(), applicationId });
  }

  /** The published list of a committed round the application was in. */
  function loadLotteryList(applicationId: string, runId: string) {
    return api.enrollment.application.lotteryList.query({ ...subject(), applicationId, runId });
  }

  return {
    assisted,
    overview,
    application,
    notice,
    loadOverview,
    start,
    loadApplication,
    savePreferences,
    upload,
    removeDocument,
    downloadDocument,
    submit,
    respond,
    answerOffer,
    loadLottery,
    loadLotteryList,
  };
});
