import { expect, test, type Page } from '@playwright/test';
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
    expect(await intro.evaluate((element) => parseFloat(getComputedStyle(element).fontSize))).toBeGreaterThanOrEqual(18);
    expect((await mainNav(page).getByRole('link', { name: '子女入学' }).boundingBox())!.height).toBeGreaterThanOrEqual(60);
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
