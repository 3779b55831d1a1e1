import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { PEOPLE, STAFF } from '../support/people';
import {
  accessLogTable,
  assistBanner,
  authorizeWithCode,
  createOneTimeCode,
  eCard,
  lookUpResident,
  mainNav,
  masked,
  openSecondBrowser,
  signInAsResident,
  signInAsStaff,
} from '../support/portal';

const AUTHORIZATION_REQUIRED = '需要居民的有效授权才能查看。授权可能已结束、过期或被居民撤销。';

/** The end of a fresh authorization (two hours), as the banner writes it; either side of a minute boundary. */
function expectedEndTimes(): string[] {
  const format = new Intl.DateTimeFormat('zh-CN', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Shanghai' });
  const end = Date.now() + 2 * 60 * 60_000;
  return [format.format(end - 60_000), format.format(end), format.format(end + 60_000)];
}

/** Nothing of any resident's data on screen: no e-card, no contribution tables. */
async function expectNoResidentData(page: Page) {
  await expect(eCard(page)).toHaveCount(0);
  await expect(page.getByRole('table')).toHaveCount(0);
  await expect(page.getByText(/4415\*{10}/)).toHaveCount(0);
}

test('staff without an authorization see no resident data, only a refusal', async ({ page }) => {
  const madeUp = randomUUID();

  await test.step('Given I am signed in as counter staff', async () => {
    await signInAsStaff(page, STAFF.counter.staffNumber);
    await expect(page).toHaveURL(/\/staff$/);
  });

  await test.step('When I open contributions under an authorization that does not exist', async () => {
    await page.goto(`/assist/${madeUp}/card/contributions`);
  });

  await test.step('Then I am told a live authorization from the resident is required, and see no data', async () => {
    await expect(page.getByRole('alert').filter({ hasText: AUTHORIZATION_REQUIRED })).toBeVisible();
    await expect(page.getByRole('heading', { name: '社保缴费记录' })).toBeVisible();
    await expectNoResidentData(page);
    await expect(assistBanner(page)).not.toContainText('正在为');
  });

  await test.step('And the e-card page under that id refuses the same way', async () => {
    await page.goto(`/assist/${madeUp}/card`);
    await expect(page.getByRole('alert').filter({ hasText: AUTHORIZATION_REQUIRED })).toBeVisible();
    await expectNoResidentData(page);
  });

  await test.step('And the resident card page without any authorization refuses too', async () => {
    await page.goto('/card');
    await expect(page.getByRole('alert').filter({ hasText: AUTHORIZATION_REQUIRED })).toBeVisible();
    await expectNoResidentData(page);
  });
});

test('a resident gives staff a one-time code; staff act for them; the resident sees who looked', async ({
  page,
  browser,
}) => {
  const resident = PEOPLE.codeGiver;
  const staffPage = await openSecondBrowser(browser);
  let code = '';

  await test.step('Given I (the resident) create a one-time code on my home page', async () => {
    await signInAsResident(page, resident.idNumber);
    await expect(page.getByRole('heading', { name: `您好，${resident.name}` })).toBeVisible();
    code = await createOneTimeCode(page);
  });

  await test.step('When the counter clerk looks me up by my exact ID number and enters the code', async () => {
    await signInAsStaff(staffPage, STAFF.counter.staffNumber);
    const ends = expectedEndTimes();
    await authorizeWithCode(staffPage, resident.idNumber, code);
    const banner = assistBanner(staffPage);
    await expect(banner).toContainText(`正在为 ${resident.name}（${masked(resident.idNumber)}）代办`);
    await expect(banner).toContainText('授权码授权');
    await expect(banner).toContainText(/授权至 \d{2}:\d{2}/);
    const shown = /授权至 (\d{2}:\d{2})/.exec((await banner.textContent()) ?? '')?.[1];
    expect(ends).toContain(shown);
  });

  await test.step('Then the clerk sees my card and my contributions', async () => {
    await expect(eCard(staffPage)).toContainText(resident.name);
    await expect(eCard(staffPage)).toContainText('正常');
    await staffPage.getByRole('navigation', { name: '社保卡功能' }).getByRole('link', { name: '缴费记录' }).click();
    await expect(staffPage.getByRole('heading', { name: '社保缴费记录' })).toBeVisible();
    await expect(staffPage.getByRole('table', { name: /年缴费合计$/ })).toBeVisible();
    await expect(staffPage).toHaveURL(/\/assist\/[0-9a-f-]{36}\/card\/contributions$/);
  });

  await test.step('And the clerk reports my card lost on my behalf', async () => {
    await staffPage.getByRole('navigation', { name: '社保卡功能' }).getByRole('link', { name: '电子社保卡' }).click();
    await staffPage.getByRole('button', { name: '挂失社保卡' }).click();
    await staffPage.getByRole('button', { name: '确认挂失' }).click();
    await expect(staffPage.getByRole('status').filter({ hasText: '挂失成功' })).toBeVisible();
    await expect(eCard(staffPage)).toContainText('已挂失');
  });

  await test.step('Then after a reload my access log names the clerk and the center', async () => {
    await page.reload();
    await mainNav(page).getByRole('link', { name: '谁查看了我的信息' }).click();
    await expect(page.getByRole('heading', { name: '谁查看了我的信息' })).toBeVisible();
    const log = accessLogTable(page);
    for (const action of ['开始代办（获得授权）', '查看电子社保卡', '查看社保缴费记录', '代办社保卡挂失']) {
      const row = log.getByRole('row').filter({ hasText: action });
      await expect(row.first()).toContainText(STAFF.counter.name);
      await expect(row.first()).toContainText(STAFF.counter.center);
      await expect(row.first()).toContainText('您的授权码');
    }
    // Looking me up is there too, before anything of mine was shown.
    await expect(log.getByRole('row').filter({ hasText: '按身份证号码查找您' }).first()).toContainText(
      '按身份证号码查找（此时看不到您的任何信息）',
    );
  });

  await test.step('And the log comes with its signed seal, which opens from the keyboard', async () => {
    const seal = page.getByRole('group').filter({ hasText: '记录封存凭证' });
    await page.getByText('记录封存凭证', { exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(seal.getByText('最后一条的指纹', { exact: true })).toBeVisible();
    await expect(seal.locator('dd code').first()).toHaveText(/^[0-9a-f]{64}$/);
  });

  await test.step('And my card history shows the loss was reported for me by the clerk', async () => {
    await mainNav(page).getByRole('link', { name: '社会保障卡' }).click();
    await expect(eCard(page)).toContainText('已挂失');
    const history = page.getByRole('region', { name: '办理记录' });
    await expect(history.getByRole('listitem').filter({ hasText: '挂失社保卡' })).toContainText(
      `由${STAFF.counter.center}工作人员${STAFF.counter.name}代办`,
    );
  });

  await test.step('And the same code used a second time is refused', async () => {
    await lookUpResident(staffPage, resident.idNumber);
    await staffPage.getByLabel('6位授权码').fill(code);
    await staffPage.getByRole('button', { name: '确认授权码' }).click();
    await expect(staffPage.getByRole('alert')).toHaveText(
      '授权码错误、已使用或已过期。输错多次后授权码即失效，请居民重新生成。',
    );
    await expect(staffPage).toHaveURL(/\/staff$/);
  });

  await staffPage.context().close();
});

test('staff record an in-person authorization for a resident without a phone', async ({ page, browser }) => {
  const resident = PEOPLE.walkIn;

  await test.step('Given the clerk has looked up the resident', async () => {
    await signInAsStaff(page, STAFF.counter.staffNumber);
    await lookUpResident(page, resident.idNumber);
  });

  await test.step('When the clerk gives a reason but does not tick that the ID card was checked', async () => {
    await page.getByLabel('原因').fill('老人无智能手机，本人到场办理');
    await page.getByRole('button', { name: '记录现场授权' }).click();
  });

  await test.step('Then the tick box says it must be confirmed, and nothing opens', async () => {
    const tick = page.getByRole('checkbox', { name: '我已当面核验该居民的身份证原件' });
    await expect(page.getByText('请确认已当面核验居民身份证。')).toBeVisible();
    await expect(tick).toHaveAccessibleDescription('请确认已当面核验居民身份证。');
    await expect(tick).toHaveAttribute('aria-invalid', 'true');
    await expect(page).toHaveURL(/\/staff$/);
  });

  await test.step('When the clerk ticks it and records the authorization', async () => {
    await page.getByRole('checkbox', { name: '我已当面核验该居民的身份证原件' }).check();
    await page.getByRole('button', { name: '记录现场授权' }).click();
  });

  await test.step('Then the banner names the resident and is marked 现场授权', async () => {
    await expect(page).toHaveURL(/\/assist\/[0-9a-f-]{36}\/card$/);
    const banner = assistBanner(page);
    await expect(banner).toContainText(`正在为 ${resident.name}（${masked(resident.idNumber)}）代办`);
    await expect(banner).toContainText('现场授权');
    await expect(eCard(page)).toContainText(resident.name);
  });

  await test.step('And the resident, signing in later, sees the visits marked 现场授权（核验身份证）', async () => {
    const residentPage = await openSecondBrowser(browser);
    await signInAsResident(residentPage, resident.idNumber);
    await residentPage.goto('/access-log');
    const log = accessLogTable(residentPage);
    for (const action of ['开始代办（获得授权）', '查看电子社保卡']) {
      const row = log.getByRole('row').filter({ hasText: action }).first();
      await expect(row).toContainText(STAFF.counter.name);
      await expect(row).toContainText('现场授权（核验身份证）');
    }
    await residentPage.context().close();
  });
});

test('a resident revokes an authorization and staff lose access at once', async ({ page, browser }) => {
  const resident = PEOPLE.revoker;
  const staffPage = await openSecondBrowser(browser);
  let authorizationId = '';

  await test.step('Given the clerk has my card open under my one-time code', async () => {
    await signInAsResident(page, resident.idNumber);
    const code = await createOneTimeCode(page);
    await signInAsStaff(staffPage, STAFF.counter.staffNumber);
    authorizationId = await authorizeWithCode(staffPage, resident.idNumber, code);
    await expect(eCard(staffPage)).toContainText(resident.name);
  });

  await test.step('When I revoke it under 我的授权 on my home page', async () => {
    await page.reload();
    const mine = page.getByRole('region', { name: '我的授权' });
    await expect(mine.getByRole('listitem').filter({ hasText: STAFF.counter.name })).toContainText('生效中');
    await mine.getByRole('button', { name: '撤销授权' }).click();
    await expect(mine.getByRole('status')).toHaveText('授权已撤销，工作人员将无法继续查看。');
    await expect(mine.getByRole('listitem').filter({ hasText: STAFF.counter.name })).toContainText('已撤销');
    await expect(mine.getByRole('button', { name: '撤销授权' })).toHaveCount(0);
  });

  await test.step('Then the clerk, reloading, is refused and sees none of my data', async () => {
    await staffPage.reload();
    await expect(assistBanner(staffPage).getByRole('alert')).toHaveText('本次授权已结束、过期或被居民撤销。');
    await expect(staffPage.getByRole('alert').filter({ hasText: AUTHORIZATION_REQUIRED })).toBeVisible();
    await expectNoResidentData(staffPage);
    await expect(staffPage.getByText(resident.name)).toHaveCount(0);
  });

  await test.step('And contributions under the same authorization are refused too', async () => {
    await staffPage.goto(`/assist/${authorizationId}/card/contributions`);
    await expect(staffPage.getByRole('alert').filter({ hasText: AUTHORIZATION_REQUIRED })).toBeVisible();
    await expectNoResidentData(staffPage);
  });

  await staffPage.context().close();
});
