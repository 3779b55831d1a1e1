import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
  // Only once the page is there: the signed-in user's remembered choice arrives with it and would undo an earlier press.
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  const want = mode === 'elder' ? 'true' : 'false';
  if ((await elderSwitch(page).getAttribute('aria-pressed')) !== want) await elderSwitch(page).click();
  await expect(elderSwitch(page)).toHaveAttribute('aria-pressed', want);
  await expectMode(page, mode);
}

async function expectMode(page: Page, mode: Mode) {
  await expect
    .poll(() => page.evaluate(() => document.documentElement.dataset.elderMode === 'on'))
    .toBe(mode === 'elder');
}

/** Each audited page is saved as seen, per mode (e2e/screenshots/audit/, not committed); ids in paths are shortened. */
const AUDIT_SCREENSHOTS = fileURLToPath(new URL('../screenshots/audit/', import.meta.url));
function screenshotPath(pagePath: string, mode: Mode): string {
  const name =
    pagePath
      .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'id')
      .replace(/^\//, '')
      .replace(/[^\w-]+/g, '_') || 'home';
  return path.join(AUDIT_SCREENSHOTS, `${name}-${mode}.png`);
}

/** Runs axe on the page as it is and fails on serious or critical violations, listing them. */
async function audit(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const blockingCount = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').length;
  // One line per audited page in the test output: the audit's result, page by page.
  console.log(
    `axe ${label}: ${blockingCount === 0 ? 'PASS' : 'FAIL'} · ${results.passes.length} rules passed · ${results.violations.length} violations (${blockingCount} serious/critical)` +
      (results.violations.length ? ` [${results.violations.map((v) => `${v.id}:${v.impact}`).join(', ')}]` : ''),
  );
  // A11Y_DEBUG=1 prints every page's full result (incl. 'incomplete' items axe cannot decide, e.g. text on gradients).
  if (process.env.A11Y_DEBUG) {
    const list = (items: typeof results.violations) =>
      items.map((v) => `${v.id}:${v.impact}:${v.nodes.map((n) => n.target.join(' ')).join('|')}`).join(', ');
    console.log(
      `${label} passes=${results.passes.length} incomplete=[${list(results.incomplete)}] violations=[${list(results.violations)}]`,
    );
  }
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = blocking
    .map(
      (v) =>
        `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.map((n) => `    at ${n.target.join(' ')}`).join('\n')}`,
    )
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
      await page.screenshot({ path: screenshotPath(visit.path, mode), fullPage: true });
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
  // Thirteen pages, each audited and photographed in two modes.
  test.setTimeout(180_000);
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

test('the staff workspace, an assisted page and the card office pass the audit, in both modes', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
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
        {
          path: `/assist/${authorizationId}/card`,
          ready: (p) => p.getByRole('region', { name: '电子社保卡', exact: true }),
        },
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

test('the school-enrollment pages of a parent and of the reviewer pass the audit, in both modes', async ({
  page,
  browser,
}) => {
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
        // The first time, the round is not open yet: that view, then publishing its seed.
        if (mode === MODES[0]) {
          await expect(reviewer.getByRole('button', { name: '公示摇号种子' })).toBeVisible();
          await audit(reviewer, `/enrollment/allocation round not open (${mode})`);
          await reviewer.getByRole('button', { name: '公示摇号种子' }).click();
        }
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

test('the lottery section of a parent’s application and the committed round pass the audit, in both modes', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const parent = PEOPLE.lotteryAuditor;
  const child = PEOPLE.lotteryAuditorChild;
  const school = '陆河县河口第二小学';
  await signInAsResident(page, parent.idNumber);
  await page.goto('/enrollment');
  await startApplication(page, child.name);
  const applicationId = applicationIdFromUrl(page);
  await chooseSchools(page, [school]);
  await submitDraft(page);
  const reviewer = await openSecondBrowser(browser);
  await signInAsStaff(reviewer, STAFF.reviewer.staffNumber);
  try {
    await reviewer.goto(`/enrollment/review/${applicationId}`);
    await reviewer.getByRole('radio', { name: '通过', exact: true }).check();
    await reviewer.getByRole('button', { name: '提交决定' }).click();
    await expect(reviewer.getByRole('status').filter({ hasText: '已提交：通过。' })).toBeVisible();
    await reviewer.goto('/enrollment/allocation');
    await reviewer.getByRole('button', { name: `分配${school}的学位` }).click();
    await reviewer.getByRole('button', { name: '公示摇号种子' }).click();
    await reviewer.getByRole('button', { name: '试运行' }).click();
    await reviewer.getByRole('button', { name: '确认分配' }).click();
    await expect(reviewer.getByRole('group', { name: '确认分配' })).toBeVisible();
    await audit(reviewer, '/enrollment/allocation confirming a commit (normal)');
    await reviewer.getByRole('button', { name: '确定分配' }).click();
    await expect(reviewer.getByRole('heading', { name: '分配结果（已保存）' })).toBeVisible();
    await audit(reviewer, '/enrollment/allocation committed, seed revealed (normal)');

    for (const mode of MODES) {
      await test.step(`the application's lottery section with the published list (${mode})`, async () => {
        await page.goto(`/enrollment/applications/${applicationId}`);
        await setMode(page, mode);
        const lottery = page.getByRole('region', { name: '摇号' });
        await lottery.getByRole('button', { name: /^显示本轮公示名单/ }).click();
        await lottery.getByText('macOS、Windows 上怎么核对').click();
        await expect(lottery.getByRole('table', { name: `${school} 第1轮公示名单` })).toBeVisible();
        await audit(page, `/enrollment/applications/:id lottery (${mode})`);
      });
    }
  } finally {
    await page.goto('/');
    await setMode(page, 'normal');
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

test('every elderly care page of an older resident and of her daughter acting for her passes the audit, in both modes', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const elder = PEOPLE.careAuditor;
  await signInAsResident(page, elder.idNumber);
  // A service's booking page: the first one the catalogue offers.
  await page.goto('/eldercare/services');
  const bookHref = await page.getByRole('link', { name: /^预约/ }).first().getAttribute('href');
  expect(bookHref, 'a bookable service').toMatch(/^\/eldercare\/services\/[0-9a-f-]{36}$/);
  const residentPages: Visit[] = [
    { path: '/eldercare', ready: (p) => p.getByTestId('subsidy-balance') },
    { path: '/eldercare/profile/edit', ready: (p) => p.getByRole('group', { name: '您现在和谁住在一起？' }) },
    { path: '/eldercare/services', ready: (p) => p.getByRole('link', { name: /^预约/ }).first() },
    { path: bookHref!, ready: (p) => p.getByRole('group', { name: '第一步：选择时间' }) },
    { path: '/eldercare/orders', ready: (p) => p.getByRole('navigation', { name: '订单范围' }) },
    { path: '/eldercare/orders?when=PAST', ready: (p) => p.getByRole('button', { name: '评价这次服务' }).first() },
    { path: '/eldercare/family', ready: (p) => p.getByRole('region', { name: '我委托的家人' }) },
  ];
  try {
    for (const mode of MODES) {
      await page.goto('/');
      await setMode(page, mode);
      await auditPages(page, mode, residentPages);

      await test.step(`booking confirmation step (${mode})`, async () => {
        await page.goto(bookHref!);
        await page.getByRole('group', { name: '第一步：选择时间' }).getByRole('radio').first().check();
        await page.getByRole('button', { name: '下一步' }).click();
        await expect(page.getByRole('heading', { name: '第二步：确认预约' })).toBeVisible();
        await audit(page, `${bookHref} confirmation step (${mode})`);
      });

      await test.step(`rating form (${mode})`, async () => {
        await page.goto('/eldercare/orders?when=PAST');
        await page.getByRole('button', { name: '评价这次服务' }).first().click();
        await expect(page.getByRole('radio', { name: /^5星/ })).toBeVisible();
        await audit(page, `/eldercare/orders?when=PAST rating form (${mode})`);
      });
    }
  } finally {
    await page.goto('/');
    await setMode(page, 'normal');
  }

  await test.step('and a daughter acting for her (为谁办理), in both modes', async () => {
    await page.goto('/eldercare/family');
    await page.getByLabel('子女的身份证号码').fill(PEOPLE.careAuditorDaughter.idNumber);
    await page.getByRole('button', { name: '确认委托' }).click();
    await expect(
      page.getByRole('status').filter({ hasText: `已委托 ${PEOPLE.careAuditorDaughter.name}。` }),
    ).toBeVisible();
    const daughter = await openSecondBrowser(browser);
    await signInAsResident(daughter, PEOPLE.careAuditorDaughter.idNumber);
    await daughter.goto('/eldercare');
    await daughter
      .getByRole('navigation', { name: '为谁办理' })
      .getByRole('link', { name: new RegExp(`^${elder.name}`) })
      .click();
    await expect(daughter.getByTestId('subsidy-balance')).toBeVisible();
    const forQuery = new URL(daughter.url()).search;
    try {
      for (const mode of MODES) {
        await daughter.goto('/');
        await setMode(daughter, mode);
        await auditPages(daughter, mode, [
          { path: `/eldercare${forQuery}`, ready: (p) => p.getByTestId('subsidy-balance') },
          { path: `/eldercare/services${forQuery}`, ready: (p) => p.getByRole('link', { name: /^预约/ }).first() },
          { path: `/eldercare/orders${forQuery}`, ready: (p) => p.getByRole('navigation', { name: '订单范围' }) },
        ]);
      }
    } finally {
      await setMode(daughter, 'normal');
      await daughter.context().close();
    }
  });
});

test('the elderly care pages of the counter, the assessor and the provider pass the audit, in both modes', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const elder = PEOPLE.careAuditor;
  await signInAsResident(page, elder.idNumber);
  // An open request for the assessor's pages.
  await page.goto('/eldercare');
  await page.getByRole('button', { name: '申请能力评估' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已提交评估申请' })).toBeVisible();
  await page.goto('/');
  const code = await createOneTimeCode(page, { services: ['居家养老'] });
  const counter = await openSecondBrowser(browser);
  await signInAsStaff(counter, STAFF.counter.staffNumber);
  const authorizationId = await authorizeWithCode(counter, elder.idNumber, code, 'eldercare');
  const assessor = await openSecondBrowser(browser);
  await signInAsStaff(assessor, STAFF.careAssessor.staffNumber);
  await expect(assessor.getByRole('link', { name: /^开始评估：/ }).first()).toBeVisible();
  const assessmentHref = await assessor
    .getByRole('link', { name: /^开始评估：/ })
    .first()
    .getAttribute('href');
  const provider = await openSecondBrowser(browser);
  await signInAsStaff(provider, STAFF.careProvider.staffNumber);
  const staffVisits: [Page, Visit[]][] = [
    [
      counter,
      [
        { path: `/assist/${authorizationId}/eldercare`, ready: (p) => p.getByTestId('subsidy-balance') },
        { path: `/assist/${authorizationId}/eldercare/services` },
      ],
    ],
    [
      assessor,
      [
        { path: '/eldercare/assessments', ready: (p) => p.getByRole('table', { name: '待评估的申请' }) },
        { path: assessmentHref!, ready: (p) => p.getByRole('region', { name: '自理能力' }) },
      ],
    ],
    [provider, [{ path: '/eldercare/provider', ready: (p) => p.getByRole('radio', { name: /^今后/ }) }]],
  ];
  try {
    for (const [staffPage, visits] of staffVisits) {
      for (const mode of MODES) {
        await staffPage.goto(visits[0]!.path);
        await setMode(staffPage, mode);
        await auditPages(staffPage, mode, visits);
      }
    }
  } finally {
    for (const [staffPage] of staffVisits) {
      await setMode(staffPage, 'normal');
      await staffPage.context().close();
    }
  }
});
