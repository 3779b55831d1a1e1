import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { PEOPLE } from '../support/people';
import { mainNav, signInAsResident, signOut } from '../support/portal';

/** 长辈模式 (适老化): large text, 60 px tap targets, main tasks only; offered once, remembered per user. */

const elderSwitch = (page: Page) => page.getByRole('banner').getByRole('button', { name: '长辈模式' });

async function measured(page: Page) {
  return page.evaluate(() => ({
    on: document.documentElement.dataset.elderMode === 'on',
    fontSize: parseFloat(getComputedStyle(document.body).fontSize),
  }));
}

test('an older resident is offered the elder-friendly mode, and it follows them', async ({ page, browser }) => {
  const resident = PEOPLE.elderly;

  await test.step('When I (aged over 60) sign in for the first time, the mode is offered', async () => {
    await signInAsResident(page, resident.idNumber);
    await expect(page.getByRole('region', { name: '试试长辈模式' })).toBeVisible();
    expect((await measured(page)).on).toBe(false);
  });

  await test.step('And when I turn it on, text and buttons grow and the navigation keeps the main tasks', async () => {
    await page.getByRole('button', { name: '开启长辈模式' }).click();
    await expect(page.getByRole('region', { name: '试试长辈模式' })).toHaveCount(0);
    await expect(elderSwitch(page)).toHaveAttribute('aria-pressed', 'true');
    const { on, fontSize } = await measured(page);
    expect(on).toBe(true);
    expect(fontSize).toBeGreaterThanOrEqual(18);
    for (const button of [elderSwitch(page), page.getByRole('button', { name: '生成授权码' })]) {
      const box = (await button.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(60);
      expect(box.width).toBeGreaterThanOrEqual(60);
    }
    await expect(mainNav(page).getByRole('link', { name: '谁查看了我的信息' })).toHaveCount(0);
    await expect(mainNav(page).getByRole('link', { name: '社会保障卡' })).toBeVisible();
  });

  await test.step('Then a micro-app follows the mode without code of its own', async () => {
    await mainNav(page).getByRole('link', { name: '社会保障卡' }).click();
    await expect(page.getByRole('heading', { name: '电子社保卡', exact: true })).toBeVisible();
    const tab = page.getByRole('navigation', { name: '社保卡功能' }).getByRole('link', { name: '缴费记录' });
    expect((await tab.boundingBox())!.height).toBeGreaterThanOrEqual(60);
  });

  await test.step('And the school-enrollment app follows it too: large text and 60 px targets', async () => {
    await mainNav(page).getByRole('link', { name: '子女入学' }).click();
    await expect(page.getByRole('heading', { name: '子女入学', level: 1 })).toBeVisible();
    const intro = page.getByText('为户口中的子女申请小学一年级或初中七年级学位', { exact: false });
    expect(await intro.evaluate((element) => parseFloat(getComputedStyle(element).fontSize))).toBeGreaterThanOrEqual(
      18,
    );
    expect((await mainNav(page).getByRole('link', { name: '子女入学' }).boundingBox())!.height).toBeGreaterThanOrEqual(
      60,
    );
  });

  await test.step('And after a reload, and on another device, the mode is still on and not offered again', async () => {
    await page.reload();
    expect((await measured(page)).on).toBe(true);
    const other = await (await browser.newContext()).newPage();
    await signInAsResident(other, resident.idNumber);
    expect((await measured(other)).on).toBe(true);
    await expect(other.getByRole('region', { name: '试试长辈模式' })).toHaveCount(0);
    await other.context().close();
  });

  await test.step('And signed out, this browser keeps it; the switch turns it off again', async () => {
    await signOut(page);
    expect((await measured(page)).on).toBe(true);
    await elderSwitch(page).click();
    await expect(elderSwitch(page)).toHaveAttribute('aria-pressed', 'false');
    const { on, fontSize } = await measured(page);
    expect(on).toBe(false);
    expect(fontSize).toBeLessThan(18);
  });
});

/** Where the tests save their screenshots of each app, in normal and elder mode (not committed). */
const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

/** Every visible button, select and navigation link in the page's main area smaller than 60 × 60 px, described. */
async function smallTapTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const main = document.querySelector('main') ?? document.body;
    const targets = Array.from(main.querySelectorAll<HTMLElement>('button, select, [role="button"], nav a'));
    return targets
      .filter((element) => element.offsetParent !== null)
      .map((element) => ({ element, box: element.getBoundingClientRect() }))
      .filter(({ box }) => box.height < 60 || box.width < 60)
      .map(
        ({ element, box }) =>
          `${element.tagName.toLowerCase()} "${(element.textContent ?? '').trim()}" ${Math.round(box.width)}×${Math.round(box.height)}`,
      );
  });
}

/**
 * Saves the page as it is (Chinese) and once more in English: a machine without a CJK font draws
 * Chinese as boxes, and the English shot still shows what the mode changes.
 */
async function saveScreenshots(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  await page.getByRole('banner').getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-en.png`), fullPage: true });
  await page.getByRole('banner').getByRole('button', { name: '中文' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
}

/** The shell's home page and each micro-app's first page, with something that shows it has loaded. */
const APPS: { name: string; path: string; ready: (page: Page) => Locator }[] = [
  { name: 'shell-home', path: '/', ready: (page) => page.getByRole('button', { name: '生成授权码' }) },
  { name: 'card', path: '/card', ready: (page) => page.getByRole('region', { name: '电子社保卡', exact: true }) },
  { name: 'health', path: '/health', ready: (page) => page.getByTestId('record-holder') },
  { name: 'enrollment', path: '/enrollment', ready: (page) => page.getByText('您的户口中没有未成年子女的登记。') },
  { name: 'eldercare', path: '/eldercare', ready: (page) => page.getByTestId('subsidy-balance') },
  {
    name: 'eldercare-services',
    path: '/eldercare/services',
    ready: (page) => page.getByRole('link', { name: /^预约/ }).first(),
  },
];

test('in 长辈模式 every app has text of at least 18 px and tap targets of at least 60 px, and the mode survives signing out and in', async ({
  page,
}) => {
  const resident = PEOPLE.elderModeChecker;
  fs.mkdirSync(SCREENSHOTS, { recursive: true });

  await test.step('Given an older resident who first declines the offer, each app in normal mode (screenshots saved)', async () => {
    await signInAsResident(page, resident.idNumber);
    await page.getByRole('button', { name: '暂不开启' }).click();
    await expect(elderSwitch(page)).toHaveAttribute('aria-pressed', 'false');
    for (const app of APPS) {
      await page.goto(app.path);
      await expect(app.ready(page)).toBeVisible();
      expect((await measured(page)).fontSize).toBeLessThan(18);
      await saveScreenshots(page, `${app.name}-normal`);
    }
  });

  await test.step('When the mode is on, every app has base text of at least 18 px and no tap target under 60 × 60 px (screenshots saved)', async () => {
    await elderSwitch(page).click();
    await expect(elderSwitch(page)).toHaveAttribute('aria-pressed', 'true');
    for (const app of APPS) {
      await page.goto(app.path);
      await expect(app.ready(page)).toBeVisible();
      const { on, fontSize } = await measured(page);
      expect(on, app.name).toBe(true);
      expect(fontSize, `${app.name}: base font size`).toBeGreaterThanOrEqual(18);
      expect(await smallTapTargets(page), `${app.name}: tap targets under 60 px`).toEqual([]);
      await saveScreenshots(page, `${app.name}-elder`);
      console.log(
        `elder mode ${app.name}: base font ${fontSize} px, no tap target under 60 px; e2e/screenshots/${app.name}-{normal,elder}{,-en}.png`,
      );
    }
  });

  await test.step('Then after signing out and in again, the mode is still on in the elderly care app', async () => {
    await signOut(page);
    await signInAsResident(page, resident.idNumber);
    await page.goto('/eldercare');
    await expect(page.getByTestId('subsidy-balance')).toBeVisible();
    expect((await measured(page)).on).toBe(true);
    expect((await measured(page)).fontSize).toBeGreaterThanOrEqual(18);
    await expect(elderSwitch(page)).toHaveAttribute('aria-pressed', 'true');
  });

  await test.step('And a fresh browser (nothing remembered locally) gets it from the account', async () => {
    const other = await (await page.context().browser()!.newContext()).newPage();
    await signInAsResident(other, resident.idNumber);
    await other.goto('/eldercare');
    await expect(other.getByTestId('subsidy-balance')).toBeVisible();
    expect((await measured(other)).on).toBe(true);
    await elderSwitch(other).click();
    await expect(elderSwitch(other)).toHaveAttribute('aria-pressed', 'false');
    await other.context().close();
  });
});
