import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';

/** What the gateway says went wrong, already decoded by @portal/api-client's describeError. */
export interface ErrorInfo {
  messageKey: string;
  params: Record<string, string | number>;
  fieldErrors: Record<string, string>;
}

/** Turns a gateway error into one translated message plus translated messages per field. */
export function useFormErrors() {
  const { t } = useI18n();
  const message = ref<string | null>(null);
  const fields = ref<Record<string, string>>({});

  function show(info: ErrorInfo) {
    fields.value = info.fieldErrors;
    message.value = t(info.messageKey, info.params);
  }

  function clear() {
    message.value = null;
    fields.value = {};
  }

  function field(name: string): string | null {
    const key = fields.value[name];
    return key ? t(key) : null;
  }

  /** True when the problem is with particular fields (shown beside them) rather than the whole form. */
  const hasFieldErrors = computed(() => Object.keys(fields.value).length > 0);

  return { message, show, clear, field, hasFieldErrors };
}
