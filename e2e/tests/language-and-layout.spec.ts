import { expect, test, type Page } from '@playwright/test';
import { PEOPLE } from '../support/people';
import { eCard, mainNav, openCardFromNav, signInAsResident } from '../support/portal';
import { chooseSchools, draftSteps, startApplication, submitDraft } from '../support/enrollment';

test('a resident switches the portal to English, it stays English after a reload, and switches back', async ({
  page,
}) => {
  await test.step('Given I am signed in and the portal is in Chinese', async () => {
    await signInAsResident(page, PEOPLE.reader.idNumber);
    await expect(mainNav(page).getByRole('link', { name: '社会保障卡' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  });

  await test.step('When I press English in the header', async () => {
    await page.getByRole('button', { name: 'English' }).click();
  });

  await test.step('Then the shell and the card app speak English', async () => {
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await expect(nav.getByRole('link', { name: 'Social security card' })).toBeVisible();
    await expect(page.getByRole('heading', { name: `Hello, ${PEOPLE.reader.name}` })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await nav.getByRole('link', { name: 'Social security card' }).click();
    await expect(page.getByRole('heading', { name: 'Electronic social security card', level: 1 })).toBeVisible();
    await expect(
      page.getByRole('navigation', { name: 'Card sections' }).getByRole('link', { name: 'Contributions' }),
    ).toBeVisible();
  });

  await test.step('And after a reload it is still English', async () => {
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Electronic social security card', level: 1 })).toBeVisible();
    await expect(
      page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Social security card' }),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: '中文' })).toBeVisible();
  });

  await test.step('When I press 中文, it is Chinese again, also after a reload', async () => {
    await page.getByRole('button', { name: '中文' }).click();
    await expect(page.getByRole('heading', { name: '电子社保卡', exact: true })).toBeVisible();
    await expect(mainNav(page).getByRole('link', { name: '社会保障卡' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: '电子社保卡', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'English' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  });
});

test.describe('on a 375 px wide phone', () => {
  test.use({ viewport: { width: 375, height: 800 } });

  /** Nothing sticks out sideways: the page never scrolls horizontally. */
  async function expectNoHorizontalOverflow(page: Page) {
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  }

  test('sign-in, home, card and contributions fit the screen and their main controls are visible', async ({ page }) => {
    await test.step('The sign-in page fits and its controls are on screen', async () => {
      await page.goto('/sign-in');
      await expect(page.getByLabel('身份证号码')).toBeInViewport();
      await expect(page.getByLabel('密码')).toBeInViewport();
      await expect(page.getByRole('button', { name: '登录' })).toBeInViewport();
      await expectNoHorizontalOverflow(page);
    });

    await test.step('The home page fits and shows the navigation and the code button', async () => {
      await signInAsResident(page, PEOPLE.reader.idNumber);
      await expect(page.getByRole('heading', { name: `您好，${PEOPLE.reader.name}` })).toBeInViewport();
      // Every service's link is on screen, the last ones too (the links wrap into rows).
      for (const name of ['社会保障卡', '健康档案', '子女入学', '居家养老'])
        await expect(mainNav(page).getByRole('link', { name })).toBeInViewport();
      await expect(page.getByRole('button', { name: /^用户菜单/ })).toBeInViewport();
      await expect(page.getByRole('button', { name: '生成授权码' })).toBeVisible();
      await expectNoHorizontalOverflow(page);
    });

    await test.step('The card page fits and shows the card, its sections and the loss button', async () => {
      await openCardFromNav(page);
      await expect(eCard(page)).toBeVisible();
      await expect(
        page.getByRole('navigation', { name: '社保卡功能' }).getByRole('link', { name: '补换卡' }),
      ).toBeInViewport();
      await expect(page.getByRole('button', { name: '挂失社保卡' })).toBeVisible();
      await expectNoHorizontalOverflow(page);
    });

    await test.step('The contributions page fits, with its chart and totals', async () => {
      await page.getByRole('navigation', { name: '社保卡功能' }).getByRole('link', { name: '缴费记录' }).click();
      await expect(page.getByRole('table', { name: /^\d{4}年缴费合计$/ })).toBeVisible();
      await expect(page.getByTestId('contribution-chart').locator('canvas').first()).toBeVisible();
      await expectNoHorizontalOverflow(page);
    });
  });

  test('a parent applies for a school place on the phone: every step fits the screen', async ({ page }) => {
    await signInAsResident(page, PEOPLE.phoneParent.idNumber);
    await mainNav(page).getByRole('link', { name: '子女入学' }).click();
    await expect(page.getByRole('heading', { name: '子女入学', level: 1 })).toBeVisible();
    await expectNoHorizontalOverflow(page);
    await startApplication(page, PEOPLE.phoneChild.name);
    await expect(draftSteps(page).getByRole('link', { name: '选择学校' })).toBeInViewport();
    await expectNoHorizontalOverflow(page);
    await chooseSchools(page, ['陆河县河田第二小学', '陆河县河田中心小学']);
    await expect(page.getByRole('button', { name: '将陆河县河田中心小学上移' })).toBeInViewport({ ratio: 1 });
    await expectNoHorizontalOverflow(page);
    await submitDraft(page);
    await expectNoHorizontalOverflow(page);
    await mainNav(page).getByRole('link', { name: '子女入学' }).click();
    await expect(page.getByRole('region', { name: '我的申请' }).getByRole('listitem')).toBeVisible();
    await expectNoHorizontalOverflow(page);
  });

  test('in elder mode the care page of an older resident fits the screen, its subsidy statement included', async ({
    page,
  }) => {
    await signInAsResident(page, PEOPLE.phoneElder.idNumber);
    await page.getByRole('button', { name: '开启长辈模式' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-elder-mode', 'on');
    await page.goto('/eldercare');
    await expect(page.getByRole('table', { name: '补贴明细' })).toBeVisible();
    await expect(mainNav(page).getByRole('link', { name: '居家养老' })).toBeInViewport();
    await expectNoHorizontalOverflow(page);
  });
});
