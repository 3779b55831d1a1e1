import { expect, type Locator, type Page } from '@playwright/test';

/** Helpers for the school-enrollment (子女入学) pages, finding controls by role and accessible name. */

/**
 * A real one-page PDF (with a correct cross-reference table), small enough to
 * write inline, so that uploads send what a scanner would send.
 */
export function smallPdf(text: string): Buffer {
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A Windows program renamed to look like a PDF: the bytes say what it is. */
export function disguisedProgram(): Buffer {
  const bytes = Buffer.alloc(2048, 0);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'latin1');
  return bytes;
}

/** The draft's step navigation (核对信息, 选择学校, 上传材料, 确认提交). */
export function draftSteps(page: Page): Locator {
  return page.getByRole('navigation', { name: '申请步骤' });
}

/** The heading of the current step, e.g. 第 2 步，共 4 步：选择学校. */
export function stepHeading(page: Page, step: number, name: string): Locator {
  return page.getByRole('heading', { name: `第 ${step} 步，共 4 步：${name}`, level: 2 });
}

/** The school choices, in order, as listed under 我的志愿. */
export function chosenSchools(page: Page): Locator {
  return page
    .getByRole('list')
    .filter({ has: page.getByText(/^第\d志愿$/) })
    .getByRole('listitem')
    .locator('strong');
}

/** On the enrollment overview: starts the application for a child at a level (小学一年级) and waits for the draft's first step. */
export async function startApplication(page: Page, childName: string, level = '小学一年级') {
  await page.getByRole('button', { name: `为${childName}开始申请${level}` }).click();
  await expect(page.getByRole('heading', { name: `${childName}的${level}入学申请`, level: 1 })).toBeVisible();
  await expect(stepHeading(page, 1, '核对信息')).toBeVisible();
}

/** On a draft: chooses the given schools in this order and saves them as the draft. */
export async function chooseSchools(page: Page, schools: string[]) {
  await draftSteps(page).getByRole('link', { name: '选择学校' }).click();
  await expect(stepHeading(page, 2, '选择学校')).toBeVisible();
  for (const school of schools) await page.getByRole('button', { name: `将${school}加入志愿` }).click();
  await expect(chosenSchools(page)).toHaveText(schools);
  await page.getByRole('button', { name: '保存草稿' }).click();
  await expect(page.getByRole('status').filter({ hasText: '志愿已保存。' })).toBeVisible();
}

/** On a draft whose schools and documents are complete: declares, submits, and returns the reference shown on the confirmation. */
export async function submitDraft(page: Page): Promise<string> {
  await draftSteps(page).getByRole('link', { name: '确认提交' }).click();
  await expect(stepHeading(page, 4, '确认提交')).toBeVisible();
  await page.getByRole('checkbox', { name: '我承诺所填信息真实，所上传的材料真实有效' }).check();
  await page.getByRole('button', { name: '提交申请' }).click();
  const confirmation = page.getByRole('region', { name: '申请已提交' });
  await expect(confirmation).toBeVisible();
  const reference = (await confirmation.locator('strong').first().textContent())?.trim() ?? '';
  expect(reference).toMatch(/^JY\d{4}[PJ]-[0-9A-Z]{6}$/);
  return reference;
}

/** The id in an application's URL (…/enrollment/applications/<id>). */
export function applicationIdFromUrl(page: Page): string {
  const match = /\/applications\/([0-9a-f-]{36})/.exec(page.url());
  if (!match) throw new Error(`Not on an application: ${page.url()}`);
  return match[1]!;
}
