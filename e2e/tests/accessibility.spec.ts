import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { PASSWORD, PEOPLE, STAFF } from '../support/people';
import { applicationIdFromUrl, chooseSchools, startApplication, submitDraft } from '../support/enrollment';
import {
  authorizeWithCode,
  createOneTimeCode,
  openSecondBrowser,
  signInAsResident,
  signInAsStaff,
  timelineCount,
  visitLinks,
} from '../support/portal';

/**
 * Automated WCAG 2.1 A/AA audits (axe-core) of every page, in normal mode and in 长辈模式,
 * and the sign-in page by keyboard alone. Serious and critical findings fail the test.
 */

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const resident = PEOPLE.auditor;

type Mode = 'normal' | 'elder';
const MODES: Mode[] = ['normal', 'elder'];

interface Visit {
  path: string;
  /** Something that shows the page's content has loaded, besides its main heading. */
  ready?: (page: Page) => Locator;
}

const elderSwitch = (page: Page) => page.getByRole('banner').getByRole('button', { name: '长辈模式' });

async function setMode(page: Page, mode: Mode) {
  const want = mode === 'elder' ? 'true' : 'false';
  if ((await elderSwitch(page).getAttribute('aria-pressed')) !== want) await elderSwitch(page).click();
  await expect(elderSwitch(page)).toHaveAttribute('aria-pressed', want);
  await expectMode(page, mode);
}

async function expectMode(page: Page, mode: Mode) {
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.elderMode === 'on')).toBe(mode === 'elder');
}

/** Runs axe on the page as it is and fails on serious or critical violations, listing them. */
async function audit(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  // A11Y_DEBUG=1 prints every page's full result (incl. 'incomplete' items axe cannot decide, e.g. text on gradients).
  if (process.env.A11Y_DEBUG) {
    const list = (items: typeof results.violations) => items.map((v) => `${v.id}:${v.impact}:${v.nodes.map((n) => n.target.join(' ')).join('|')}`).join(', ');
    console.log(`${label} passes=${results.passes.length} incomplete=[${list(results.incomplete)}] violations=[${list(results.violations)}]`);
  }
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = blocking
    .map((v) => `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.map((n) => `    at ${n.target.join(' ')}`).join('\n')}`)
    .join('\n');
  expect(blocking, `${label}: serious/critical accessibility violations:\n${report}`).toEqual([]);
}

/** Opens each page in turn, waits for its main heading (and content), and audits it. */
async function auditPages(page: Page, mode: Mode, visits: Visit[]) {
  for (const visit of visits) {
    await test.step(`${visit.path} (${mode})`, async () => {
      await page.goto(visit.path);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      if (visit.ready) await expect(visit.ready(page)).toBeVisible();
      await expectMode(page, mode);
      await audit(page, `${visit.path} (${mode})`);
    });
  }
}

test('the sign-in page passes the audit, signed out, in both modes', async ({ page }) => {
  await page.goto('/sign-in');
  for (const mode of MODES) {
    await expect(page.getByRole('heading', { name: '登录', level: 1 })).toBeVisible();
    await setMode(page, mode);
    await auditPages(page, mode, [{ path: '/sign-in' }]);
  }
});

test('every resident page passes the audit, in both modes', async ({ page }) => {
  await signInAsResident(page, resident.idNumber);
  // A visit's detail page: the first visit on the timeline.
  await page.goto('/health/timeline');
  await expect(timelineCount(page)).toBeVisible();
  const href = await visitLinks(page).first().getAttribute('href');
  const encounter = /\/timeline\/([0-9a-f-]{36})/.exec(href ?? '')?.[1];
  expect(encounter, 'a visit on the timeline').toBeTruthy();

  const pages: Visit[] = [
    { path: '/' },
    { path: '/access-log' },
    { path: '/messages' },
    { path: '/card', ready: (p) => p.getByRole('region', { name: '电子社保卡', exact: true }) },
    { path: '/card/contributions' },
    { path: '/card/benefits' },
    { path: '/card/replacement' },
    { path: '/health', ready: (p) => p.getByTestId('record-holder') },
    { path: '/health/timeline', ready: timelineCount },
    { path: `/health/timeline/${encounter}` },
    { path: '/health/immunizations' },
    { path: '/health/exams' },
    { path: '/health/follow-ups' },
  ];
  try {
    for (const mode of MODES) {
      await page.goto('/');
      await setMode(page, mode);
      await auditPages(page, mode, pages);
    }
  } finally {
    // The mode is remembered per user: leave it off.
    await page.goto('/');
    await setMode(page, 'normal');
  }
});

test('the staff workspace, an assisted page and the card office pass the audit, in both modes', async ({ page, browser }) => {
  const residentPage = await openSecondBrowser(browser);
  await signInAsResident(residentPage, resident.idNumber);
  const code = await createOneTimeCode(residentPage);
  await residentPage.context().close();

  await signInAsStaff(page, STAFF.counter.staffNumber);
  const authorizationId = await authorizeWithCode(page, resident.idNumber, code);
  try {
    for (const mode of MODES) {
      await page.goto('/staff');
      await setMode(page, mode);
      await auditPages(page, mode, [
        { path: '/staff' },
        { path: `/assist/${authorizationId}/card`, ready: (p) => p.getByRole('region', { name: '电子社保卡', exact: true }) },
      ]);
    }
  } finally {
    await page.goto('/staff');
    await setMode(page, 'normal');
  }

  const office = await openSecondBrowser(browser);
  await signInAsStaff(office, STAFF.cardOffice.staffNumber);
  try {
    for (const mode of MODES) {
      await office.goto('/card/office');
      await setMode(office, mode);
      await auditPages(office, mode, [{ path: '/card/office' }]);
    }
  } finally {
    await setMode(office, 'normal');
    await office.context().close();
  }
});

test('the school-enrollment pages of a parent and of the reviewer pass the audit, in both modes', async ({ page, browser }) => {
  // Eighteen audits, one of a page listing every school of the city: more than the default minute.
  test.setTimeout(180_000);
  const parent = PEOPLE.enrollAuditor;
  const child = PEOPLE.enrollAuditorChild;
  await signInAsResident(page, parent.idNumber);
  await page.goto('/enrollment');
  await startApplication(page, child.name);
  const applicationId = applicationIdFromUrl(page);
  const application = `/enrollment/applications/${applicationId}`;
  const reviewer = await openSecondBrowser(browser);
  await signInAsStaff(reviewer, STAFF.reviewer.staffNumber);

  try {
    // A draft, step by step.
    for (const mode of MODES) {
      await page.goto('/enrollment');
      await setMode(page, mode);
      await auditPages(page, mode, [
        { path: '/enrollment', ready: (p) => p.getByRole('region', { name: '我的申请' }) },
        { path: `${application}?step=facts`, ready: (p) => p.getByRole('heading', { name: /第 1 步/ }) },
        { path: `${application}?step=schools`, ready: (p) => p.getByRole('heading', { name: /第 2 步/ }) },
        { path: `${application}?step=documents`, ready: (p) => p.getByRole('heading', { name: /第 3 步/ }) },
        { path: `${application}?step=review`, ready: (p) => p.getByRole('heading', { name: /第 4 步/ }) },
      ]);
    }
    await page.goto(`${application}?step=facts`);
    await setMode(page, 'normal');
    await chooseSchools(page, ['陆河县水唇中心小学']);
    await submitDraft(page);

    // The reviewer's queue, the application, a request for documents, and allocation with a dry run.
    for (const mode of MODES) {
      await reviewer.goto('/enrollment/review');
      await setMode(reviewer, mode);
      await auditPages(reviewer, mode, [
        { path: '/enrollment/review', ready: (p) => p.getByRole('table', { name: /入学申请/ }) },
        { path: `/enrollment/review/${applicationId}`, ready: (p) => p.getByRole('region', { name: '审核决定' }) },
        { path: '/enrollment/allocation', ready: (p) => p.getByRole('table', { name: '各校学位与待分配人数' }) },
      ]);
      await test.step(`/enrollment/allocation with a dry run (${mode})`, async () => {
        await reviewer.getByRole('button', { name: '分配陆河县水唇中心小学的学位' }).click();
        await reviewer.getByRole('button', { name: '试运行' }).click();
        await expect(reviewer.getByRole('heading', { name: '试运行结果（未保存）' })).toBeVisible();
        await audit(reviewer, `/enrollment/allocation dry run (${mode})`);
      });
    }
    await reviewer.goto(`/enrollment/review/${applicationId}`);
    await setMode(reviewer, 'normal');
    await reviewer.getByRole('radio', { name: '要求补充材料' }).check();
    await reviewer.getByLabel('说明').fill('请上传监护关系证明');
    await reviewer.getByRole('button', { name: '提交决定' }).click();
    await expect(reviewer.getByRole('status').filter({ hasText: '已提交：要求补充材料。' })).toBeVisible();

    // The parent's application after submission: confirmation, tracker, the request with its upload form, history.
    for (const mode of MODES) {
      await page.goto('/enrollment');
      await setMode(page, mode);
      await auditPages(page, mode, [
        { path: `${application}?confirmation=1`, ready: (p) => p.getByRole('region', { name: '需要补充材料' }) },
        { path: '/enrollment', ready: (p) => p.getByRole('region', { name: '我的申请' }).getByRole('listitem') },
      ]);
    }
  } finally {
    await page.goto('/');
    await setMode(page, 'normal');
    await reviewer.goto('/enrollment/review');
    await setMode(reviewer, 'normal');
    await reviewer.context().close();
  }
});

test('the sign-in page works with the keyboard alone, in a sensible order', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: '登录', level: 1 })).toBeVisible();
  const focusedIs = (locator: Locator) => expect(locator).toBeFocused();

  await test.step('Tab from the top reaches the skip link, the header, then the form fields in order', async () => {
    await page.keyboard.press('Tab');
    await focusedIs(page.getByRole('link', { name: '跳到主要内容' }).or(page.locator('a.skip-link')));
    const banner = page.getByRole('banner');
    // Every control in the header, in document order, comes next.
    const headerControls = banner.locator('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])');
    const count = await headerControls.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i += 1) {
      await page.keyboard.press('Tab');
      await focusedIs(headerControls.nth(i));
    }
    // The kind of sign-in is a radio group: one tab stop, on the checked choice (居民登录).
    await page.keyboard.press('Tab');
    await focusedIs(page.getByRole('radio', { name: '居民登录' }));
    await page.keyboard.press('Tab');
    await focusedIs(page.getByLabel('身份证号码'));
    await page.keyboard.press('Tab');
    await focusedIs(page.getByLabel('密码'));
    await page.keyboard.press('Tab');
    await focusedIs(page.getByRole('button', { name: '登录' }));
  });

  await test.step('And a resident signs in by typing and pressing Enter', async () => {
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await focusedIs(page.getByLabel('身份证号码'));
    await page.keyboard.type(PEOPLE.reader.idNumber);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: /^用户菜单/ })).toBeVisible();
    await expect(page.getByRole('heading', { name: `您好，${PEOPLE.reader.name}`, level: 1 })).toBeVisible();
  });
});
