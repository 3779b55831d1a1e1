import { downloadBlob } from '@portal/ui';

/** What the gateway accepts, said to the family before they choose a file (the gateway checks the bytes). */
export const ACCEPTED_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export const ACCEPT_ATTRIBUTE = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** A file's bytes as base64, for the upload call. */
export function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsDataURL(file);
  });
}

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Opens a document in a new tab through a Blob URL, so the file is fetched by a
 * tRPC call (where authorization happens) and never has a URL of its own. The
 * tab is opened before the download starts: browsers allow a new tab only
 * while the click is fresh.
 */
export async function openInNewTab(
  load: () => Promise<{ fileName: string; mediaType: string; contentBase64: string }>,
): Promise<void> {
  const tab = window.open('', '_blank');
  // The document's tab has no business with the portal page.
  if (tab) tab.opener = null;
  try {
    const file = await load();
    const blob = new Blob([bytesOf(file.contentBase64)], { type: file.mediaType });
    if (!tab) {
      // Pop-ups blocked: the file is downloaded instead, and the portal page stays.
      downloadBlob(blob, file.fileName);
      return;
    }
    const url = URL.createObjectURL(blob);
    tab.location.replace(url);
    // The tab has loaded the file long before this; the URL would otherwise live as long as the portal page.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (error) {
    tab?.close();
    throw error;
  }
}

/** A file size as people read it: 312 KB, 1.4 MB. */
export function formatSize(bytes: number, locale: string): string {
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  if (bytes < 1024 * 1024) return `${format.format(Math.max(1, Math.round(bytes / 1024)))} KB`;
  return `${format.format(bytes / (1024 * 1024))} MB`;
}
