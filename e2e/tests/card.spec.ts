import { expect, test, type Page } from '@playwright/test';
import { PEOPLE, STAFF } from '../support/people';
import {
  accessLogTable,
  assistBanner,
  authorizeInPerson,
  authorizeWithCode,
  createOneTimeCode,
  eCard,
  mainNav,
  masked,
  openCardFromNav,
  openSecondBrowser,
  signInAsResident,
  signInAsStaff,
} from '../support/portal';

/** The step of the replacement tracker that is marked current (aria-current="step"). */
function currentStep(page: Page) {
  return page
    .getByRole('region', { name: '补换卡进度' })
    .getByRole('listitem')
    .and(page.locator('[aria-current="step"]'));
}

async function expectContributionsPage(page: Page) {
  await expect(page.getByRole('heading', { name: '社保缴费记录', level: 1 })).toBeVisible();
  await expect(page.getByRole('table', { name: /^\d{4}年缴费合计$/ })).toBeVisible();
  await expect(
    page.getByRole('table', { name: /^\d{4}年缴费合计$/ }).getByRole('rowheader', { name: '养老保险' }),
  ).toBeVisible();
  await expect(page.getByTestId('contribution-chart').locator('canvas').first()).toBeVisible();
}

test('deep links survive a reload and unknown paths say the page does not exist', async ({ page, browser }) => {
  await test.step('Given I am signed in as a resident', async () => {
    await signInAsResident(page, PEOPLE.reader.idNumber);
  });

  await test.step('When I reload on /card/contributions I see my contributions with the chart and yearly totals', async () => {
    await page.goto('/card/contributions');
    await expectContributionsPage(page);
    await page.reload();
    await expectContributionsPage(page);
    await expect(page).toHaveURL(/\/card\/contributions$/);
  });

  await test.step('And a reload on /card/benefits shows the benefits page', async () => {
    await page.goto('/card/benefits');
    await page.reload();
    await expect(page.getByRole('heading', { name: '待遇领取记录', level: 1 })).toBeVisible();
    await expect(page.getByRole('heading', { name: '页面不存在' })).toHaveCount(0);
  });

  await test.step('And a reload on /access-log shows who viewed my data', async () => {
    await page.goto('/access-log');
    await page.reload();
    await expect(page.getByRole('heading', { name: '谁查看了我的信息', level: 1 })).toBeVisible();
    await expect(page.getByRole('heading', { name: /^您好/ })).toHaveCount(0);
  });

  await test.step('And unknown paths, in the portal or in the card app, say the page does not exist', async () => {
    await page.goto('/no-such-page');
    await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible();
    await page.goto('/card/no-such-page');
    await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible();
    await expect(eCard(page)).toHaveCount(0);
  });

  await test.step('And staff reloading an assisted contributions link stay on it', async () => {
    const staffPage = await openSecondBrowser(browser);
    await signInAsStaff(staffPage, STAFF.counter.staffNumber);
    const authorizationId = await authorizeInPerson(staffPage, PEOPLE.counterVisitor.idNumber);
    await staffPage.goto(`/assist/${authorizationId}/card/contributions`);
    await staffPage.reload();
    await expect(staffPage).toHaveURL(new RegExp(`/assist/${authorizationId}/card/contributions$`));
    await expect(assistBanner(staffPage)).toContainText(`正在为 ${PEOPLE.counterVisitor.name}`);
    await expectContributionsPage(staffPage);
    await staffPage.context().close();
  });
});

test('Back and Forward move between shell and card pages and land where I was', async ({ page }) => {
  const tabs = () => page.getByRole('navigation', { name: '社保卡功能' });

  await test.step('Given I went from home to the card, its contributions, then who viewed my data', async () => {
    await signInAsResident(page, PEOPLE.reader.idNumber);
    await openCardFromNav(page);
    await tabs().getByRole('link', { name: '缴费记录' }).click();
    await expect(page.getByRole('heading', { name: '社保缴费记录', level: 1 })).toBeVisible();
    await mainNav(page).getByRole('link', { name: '谁查看了我的信息' }).click();
    await expect(page.getByRole('heading', { name: '谁查看了我的信息', level: 1 })).toBeVisible();
  });

  await test.step('When I press Back twice and Forward once I pass through contributions and the e-card', async () => {
    await page.goBack();
    await expect(page).toHaveURL(/\/card\/contributions$/);
    await expect(page.getByRole('heading', { name: '社保缴费记录', level: 1 })).toBeVisible();
    await page.goBack();
    await expect(page).toHaveURL(/\/card\/?$/);
    await expect(eCard(page)).toBeVisible();
    await page.goForward();
    await expect(page).toHaveURL(/\/card\/contributions$/);
    await expect(page.getByRole('heading', { name: '社保缴费记录', level: 1 })).toBeVisible();
  });

  await test.step('And after the header link to the card and a tab inside it, Back returns step by step', async () => {
    await mainNav(page).getByRole('link', { name: '社会保障卡' }).click();
    await expect(eCard(page)).toBeVisible();
    await tabs().getByRole('link', { name: '待遇领取' }).click();
    await expect(page.getByRole('heading', { name: '待遇领取记录', level: 1 })).toBeVisible();
    await page.goBack();
    await expect(page).toHaveURL(/\/card\/?$/);
    await expect(eCard(page)).toBeVisible();
    await page.goBack();
    await expect(page).toHaveURL(/\/card\/contributions$/);
    await expect(page.getByRole('heading', { name: '社保缴费记录', level: 1 })).toBeVisible();
    await expect(page.getByRole('heading', { name: '页面不存在' })).toHaveCount(0);
  });
});

test('a resident replaces a damaged card: card office produces it, the counter hands it over', async ({
  page,
  browser,
}) => {
  const resident = PEOPLE.replacer;
  const id = masked(resident.idNumber);
  let oldCardNumber = '';

  await test.step('Given I apply for a replacement of my damaged card, to be picked up at my center', async () => {
    await signInAsResident(page, resident.idNumber);
    await openCardFromNav(page);
    oldCardNumber =
      (await eCard(page)
        .getByText(/^\*{4,}\d{4}$/)
        .textContent()) ?? '';
    await page.getByRole('navigation', { name: '社保卡功能' }).getByRole('link', { name: '补换卡' }).click();
    await expect(page.getByRole('heading', { name: '补换社保卡' })).toBeVisible();
    await page.getByRole('radio', { name: '损坏换卡' }).check();
    await page.getByLabel('领卡网点').selectOption({ label: STAFF.counter.center });
    await page.getByRole('button', { name: '提交申请' }).click();
  });

  await test.step('Then I see the application submitted', async () => {
    await expect(page.getByRole('status').filter({ hasText: '申请已提交' })).toBeVisible();
    await expect(currentStep(page)).toHaveText(/已提交/);
    await expect(page.getByRole('region', { name: '补换卡进度' })).toContainText(STAFF.counter.center);
  });

  await test.step('When the card office starts production and then marks the card ready', async () => {
    const office = await openSecondBrowser(browser);
    await signInAsStaff(office, STAFF.cardOffice.staffNumber);
    await expect(office).toHaveURL(/\/card\/office$/);
    await expect(office.getByRole('heading', { name: '补换卡制卡队列' })).toBeVisible();
    const row = office.getByRole('row').filter({ hasText: id });
    await expect(row).toContainText('已提交');
    await expect(row).toContainText('损坏换卡');
    await row.getByRole('button', { name: `为${id}开始制卡` }).click();
    await expect(row).toContainText('制卡中');
    await row.getByRole('button', { name: `制卡完成，送达网点：${id}` }).click();
    await expect(office.getByRole('row').filter({ hasText: id })).toHaveCount(0);
    await office.context().close();
  });

  await test.step('Then after a reload I see my new card waiting for pickup', async () => {
    await page.reload();
    await expect(currentStep(page)).toHaveText(/待领取/);
  });

  await test.step('When I give the counter clerk a code and the clerk confirms I collected the card', async () => {
    await mainNav(page).getByRole('link', { name: '首页' }).click();
    const code = await createOneTimeCode(page);
    const counter = await openSecondBrowser(browser);
    await signInAsStaff(counter, STAFF.counter.staffNumber);
    await authorizeWithCode(counter, resident.idNumber, code);
    const progress = counter.getByRole('region', { name: '补换卡进度' });
    await expect(progress).toContainText('待领取');
    await progress.getByRole('button', { name: '确认居民已领取新卡' }).click();
    await expect(counter.getByRole('status').filter({ hasText: '已办理领卡，新卡已启用。' })).toBeVisible();
    await expect(counter.getByRole('button', { name: '确认居民已领取新卡' })).toHaveCount(0);
    await counter.context().close();
  });

  await test.step('Then I see a new card in use and the replacement collected', async () => {
    await openCardFromNav(page);
    await expect(currentStep(page)).toHaveText(/已领取/);
    await expect(eCard(page)).toContainText('正常');
    const newCardNumber =
      (await eCard(page)
        .getByText(/^\*{4,}\d{4}$/)
        .textContent()) ?? '';
    expect(newCardNumber).not.toBe('');
    expect(newCardNumber).not.toBe(oldCardNumber);
    await expect(
      page.getByRole('region', { name: '办理记录' }).getByRole('listitem').filter({ hasText: '已领取新卡' }),
    ).toContainText(`由${STAFF.counter.center}工作人员${STAFF.counter.name}代办`);
  });
});

test('staff check the QR code on a resident e-card and the resident sees the check', async ({ page, browser }) => {
  const resident = PEOPLE.reader;
  let token = '';

  await test.step('Given my e-card shows its QR code', async () => {
    await signInAsResident(page, resident.idNumber);
    await openCardFromNav(page);
    await expect(page.getByRole('img', { name: /^电子社保卡二维码/ })).toBeVisible();
  });

  await test.step('When I open 二维码内容 and read the text under it', async () => {
    const qr = page.getByRole('region', { name: '电子社保卡二维码' });
    // <summary> is the disclosure button; Playwright has no role for it, so it is found by its text.
    await qr.getByText('二维码内容（供无法扫码时使用）').click();
    const content = qr.getByRole('group').getByRole('code');
    await expect(content).toBeVisible();
    token = ((await content.textContent()) ?? '').trim();
    expect(token.length).toBeGreaterThan(20);
  });

  await test.step('And the counter clerk pastes it into 二维码内容 and presses 核验', async () => {
    const staffPage = await openSecondBrowser(browser);
    await signInAsStaff(staffPage, STAFF.counter.staffNumber);
    await staffPage.getByLabel('二维码内容').fill(token);
    await staffPage.getByRole('button', { name: '核验', exact: true }).click();
    await expect(staffPage.getByRole('status').filter({ hasText: '二维码有效' })).toHaveText(
      new RegExp(
        `^二维码有效：${resident.name}（${masked(resident.idNumber).replace(/\*/g, '\\*')}），卡号 .+，状态：正常$`,
      ),
    );
    await staffPage.context().close();
  });

  await test.step('Then my access log shows the check, based on my showing the QR code', async () => {
    await mainNav(page).getByRole('link', { name: '谁查看了我的信息' }).click();
    const row = accessLogTable(page).getByRole('row').filter({ hasText: '核验电子社保卡二维码' });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(STAFF.counter.name);
    await expect(row).toContainText(STAFF.counter.center);
    await expect(row).toContainText('您出示电子社保卡二维码');
  });
});
