import { linkStylesheet } from './stylesheet.js';
import './tokens.css';
import './table.css';

// The kit's own stylesheet sits beside this module wherever it is deployed.
if (typeof document !== 'undefined' && !import.meta.env?.DEV) {
  linkStylesheet(new URL('./ui.css', import.meta.url).href);
}

export { default as UiAlert } from './components/UiAlert.vue';
export { default as UiBadge } from './components/UiBadge.vue';
export { default as UiButton } from './components/UiButton.vue';
export { default as UiField } from './components/UiField.vue';
export { default as UiPanel } from './components/UiPanel.vue';
export { default as UiStatusTracker } from './components/UiStatusTracker.vue';
export { default as UiMissingPage } from './components/UiMissingPage.vue';
export { default as UiTabs } from './components/UiTabs.vue';
export { createPortalI18n } from './i18n.js';
export { portalLocale, setPortalLocale, LOCALES, type PortalLocale } from './locale.js';
export { elderMode, setElderMode } from './elder-mode.js';
export { formatDate, formatDateTime, formatFen, formatMonth, formatTime } from './format.js';
export { linkStylesheet, withStylesheet } from './stylesheet.js';
export { useFormErrors, type ErrorInfo } from './form-errors.js';
export { createMicroApp, useMicroAppContext, type MicroAppContext } from './micro-app.js';
export { createPersonGuard } from './person-guard.js';
export { downloadBlob } from './download.js';
