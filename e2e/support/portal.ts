import { expect, type Browser, type Locator, type Page } from '@playwright/test';
import { maskIdNumber } from '@portal/identity';
import { BASE_URL, PASSWORD, STAFF } from './people';

/** Small page helpers that find controls as a screen reader would: by role and accessible name. */

export async function signInAsResident(page: Page, idNumber: string, password = PASSWORD) {
  await page.goto('/sign-in');
  await page.getByRole('radio', { name: '居民登录' }).check();
  await page.getByLabel('身份证号码').fill(idNumber);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('button', { name: /^用户菜单/ })).toBeVisible();
}

export async function signInAsStaff(page: Page, staffNumber: string, password = PASSWORD) {
  await page.goto('/sign-in');
  await page.getByRole('radio', { name: '工作人员登录' }).check();
  await page.getByLabel('工号').fill(staffNumber);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('button', { name: /^用户菜单/ })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: /^用户菜单/ }).click();
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
}

/** A second person at another device: a browser context of its own (own cookies, own storage). */
export async function openSecondBrowser(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'zh-CN' });
  return context.newPage();
}

/** The portal's main navigation in the header. */
export function mainNav(page: Page): Locator {
  return page.getByRole('navigation', { name: '主导航' });
}

/** Opens the e-card through the header, as a resident would. */
export async function openCardFromNav(page: Page) {
  await mainNav(page).getByRole('link', { name: '社会保障卡' }).click();
  await expect(page.getByRole('heading', { name: '电子社保卡', exact: true })).toBeVisible();
}

/** The e-card itself (the card-shaped region with holder, numbers and status). */
export function eCard(page: Page): Locator {
  return page.getByRole('region', { name: '电子社保卡', exact: true });
}

/** The masked form the portal shows an ID number in, e.g. 4415**********123X. */
export function masked(idNumber: string): string {
  return maskIdNumber(idNumber);
}

/** On the resident's home page: creates a one-time code and returns the six digits shown. */
export async function createOneTimeCode(page: Page): Promise<string> {
  await page.getByRole('button', { name: '生成授权码' }).click();
  const result = page.getByRole('status').filter({ hasText: '您的授权码' });
  await expect(result).toBeVisible();
  const code = (await result.getByText(/^\d{6}$/).textContent())?.trim() ?? '';
  expect(code).toMatch(/^\d{6}$/);
  return code;
}

/** On the staff workspace: looks a resident up by their full ID number. */
export async function lookUpResident(page: Page, idNumber: string) {
  await page.goto('/staff');
  await expect(page.getByRole('heading', { name: '社区综合服务中心工作台' })).toBeVisible();
  await page.getByLabel('身份证号码').fill(idNumber);
  await page.getByRole('button', { name: '查找', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `已找到居民：${masked(idNumber)}` })).toBeVisible();
}

/** On the staff workspace: looks the resident up and enters the code they read out; lands in assisted mode. Returns the authorization id. */
export async function authorizeWithCode(page: Page, idNumber: string, code: string): Promise<string> {
  await lookUpResident(page, idNumber);
  await page.getByLabel('6位授权码').fill(code);
  await page.getByRole('button', { name: '确认授权码' }).click();
  await expect(page).toHaveURL(/\/assist\/[0-9a-f-]{36}\/card$/);
  return authorizationIdFromUrl(page);
}

/** On the staff workspace: records an in-person authorization for a resident without a phone. Returns the authorization id. */
export async function authorizeInPerson(page: Page, idNumber: string, reason = '老人无智能手机，本人到场办理') {
  await lookUpResident(page, idNumber);
  await page.getByRole('checkbox', { name: '我已当面核验该居民的身份证原件' }).check();
  await page.getByLabel('原因').fill(reason);
  await page.getByRole('button', { name: '记录现场授权' }).click();
  await expect(page).toHaveURL(/\/assist\/[0-9a-f-]{36}\/card$/);
  return authorizationIdFromUrl(page);
}

export function authorizationIdFromUrl(page: Page): string {
  const match = /\/assist\/([0-9a-f-]{36})\//.exec(new URL(page.url()).pathname + '/');
  if (!match) throw new Error(`Not in assisted mode: ${page.url()}`);
  return match[1]!;
}

/** The banner staff work under in assisted mode. */
export function assistBanner(page: Page): Locator {
  return page.getByRole('region', { name: '代办信息' });
}

/** The resident's record of who looked at their data, as a table. */
export function accessLogTable(page: Page): Locator {
  return page.getByRole('table', { name: '谁查看了我的信息' });
}

export { STAFF };
