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

/**
 * The header's link to the message center. Its name says the unread count:
 * "消息，3条未读", or just "消息" when nothing is unread.
 */
export function inboxLink(page: Page): Locator {
  return page.getByRole('banner').getByRole('link', { name: /^消息/ });
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

/** Services the resident can tick on the code generator, by the label shown beside each box. */
export type ServiceLabel = '社会保障卡' | '居民健康档案' | '子女入学' | '居家养老';
const SERVICE_LABELS: ServiceLabel[] = ['社会保障卡', '居民健康档案', '子女入学', '居家养老'];
const SENSITIVE_HEALTH = '同时允许查看敏感健康记录（精神心理、传染病、生殖健康）';

/**
 * On the resident's home page: creates a one-time code and returns the six digits shown.
 * Without options the boxes are left as the page offers them (the card only); with
 * `services`, exactly those are ticked, and with `sensitive` the sensitive-records box too.
 */
export async function createOneTimeCode(
  page: Page,
  options: { services?: ServiceLabel[]; sensitive?: boolean } = {},
): Promise<string> {
  if (options.services) {
    const scopes = page.getByRole('group', { name: '允许查看的服务' });
    for (const label of SERVICE_LABELS) {
      await scopes.getByRole('checkbox', { name: label, exact: true }).setChecked(options.services.includes(label));
    }
    if (options.services.includes('居民健康档案')) {
      await scopes.getByRole('checkbox', { name: SENSITIVE_HEALTH }).setChecked(options.sensitive ?? false);
    } else {
      await expect(scopes.getByRole('checkbox', { name: SENSITIVE_HEALTH })).toHaveCount(0);
    }
  }
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

/**
 * On the staff workspace: looks the resident up and enters the code they read out; lands in assisted mode
 * on the first service the code covers (the card, or the health record or enrollment for a code without the card). Returns the authorization id.
 */
export async function authorizeWithCode(
  page: Page,
  idNumber: string,
  code: string,
  landsOn: 'card' | 'health' | 'enrollment' | 'eldercare' = 'card',
): Promise<string> {
  await lookUpResident(page, idNumber);
  await page.getByLabel('6位授权码').fill(code);
  await page.getByRole('button', { name: '确认授权码' }).click();
  await expect(page).toHaveURL(new RegExp(`/assist/[0-9a-f-]{36}/${landsOn}$`));
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

/** The health app's section tabs (概览, 就诊记录, 预防接种, 体检结果, 慢病随访). */
export function healthNav(page: Page): Locator {
  return page.getByRole('navigation', { name: '健康档案功能' });
}

/** Opens the health record through the header, as a resident would. */
export async function openHealthFromNav(page: Page) {
  await mainNav(page).getByRole('link', { name: '健康档案' }).click();
  await expect(page.getByRole('heading', { name: '健康档案概览', level: 1 })).toBeVisible();
}

/** The line at the top of each health page that says whose record it is. */
export function recordHolder(page: Page): Locator {
  return page.getByTestId('record-holder');
}

/** The visits on the timeline: each is a list item headed by a link to its details. */
export function visits(page: Page): Locator {
  return page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2 }) });
}

/** The link (date and type, e.g. "2025/11/21 门诊") heading each visit on the timeline. */
export function visitLinks(page: Page): Locator {
  return visits(page).getByRole('heading', { level: 2 }).getByRole('link');
}

/** Opens the timeline from the health tabs and waits for its first page. */
export async function openTimeline(page: Page) {
  await healthNav(page).getByRole('link', { name: '就诊记录' }).click();
  await expect(page.getByRole('heading', { name: '就诊记录', level: 1 })).toBeVisible();
  await expect(timelineCount(page).or(page.getByText('没有符合条件的就诊记录。'))).toBeVisible();
}

/** The timeline's live count, 已显示 N 条就诊记录. */
export function timelineCount(page: Page): Locator {
  return page.getByRole('status').filter({ hasText: /^已显示 \d+ 条就诊记录$/ });
}

/** Loads every page of the timeline (加载更多 until it is gone) and returns the number shown. */
export async function showAllVisits(page: Page): Promise<number> {
  const more = page.getByRole('button', { name: '加载更多' });
  while (await more.isVisible()) {
    const before = await visits(page).count();
    await more.click();
    await expect.poll(() => visits(page).count()).toBeGreaterThan(before);
  }
  const shown = await visits(page).count();
  await expect(timelineCount(page)).toHaveText(`已显示 ${shown} 条就诊记录`);
  return shown;
}

/** The encounter ids behind the visits shown, from their links (…/timeline/<id>). */
export async function shownEncounterIds(page: Page): Promise<string[]> {
  const hrefs = await visitLinks(page).evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  return hrefs.map((href) => /\/timeline\/([0-9a-f-]{36})/.exec(href)?.[1] ?? href);
}

/** The elderly care app's section tabs (我的养老, 上门服务, 我的订单, 家人代办). */
export function eldercareNav(page: Page): Locator {
  return page.getByRole('navigation', { name: '居家养老功能' });
}

/** 为谁办理: the switch between one's own care and a parent's who delegated it. */
export function actingForSwitch(page: Page): Locator {
  return page.getByRole('navigation', { name: '为谁办理' });
}

/** Opens 居家养老 through the header, as a resident would; lands on the care profile (or the explanation for under-60s). */
export async function openEldercareFromNav(page: Page) {
  await mainNav(page).getByRole('link', { name: '居家养老' }).click();
  await expect(page.getByRole('heading', { name: '我的养老', level: 1 })).toBeVisible();
}

/** The subsidy balance on the care profile, e.g. "¥100.00". */
export function subsidyBalance(page: Page): Locator {
  return page.getByTestId('subsidy-balance');
}

export { STAFF };
