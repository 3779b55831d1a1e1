import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { PEOPLE, STAFF } from '../support/people';
import {
  accessLogTable,
  assistBanner,
  authorizeWithCode,
  createOneTimeCode,
  healthNav,
  mainNav,
  openHealthFromNav,
  openSecondBrowser,
  openTimeline,
  recordHolder,
  showAllVisits,
  shownEncounterIds,
  signInAsResident,
  signInAsStaff,
  timelineCount,
  visitLinks,
  visits,
} from '../support/portal';

const NOT_FOUND = '未找到相关信息。';
const SCOPE_MISSING = '居民的授权不包含此项服务。';

/** The trimmed titles of the visits shown, e.g. ["2025/11/21 门诊", …]. */
async function visitTitles(page: Page): Promise<string[]> {
  return (await visitLinks(page).allInnerTexts()).map((title) => title.trim());
}

/** Waits until the timeline shows visits and every one of them has a title matching `pattern`. */
async function expectEveryVisit(page: Page, pattern: RegExp) {
  await expect
    .poll(
      async () => {
        const titles = await visitTitles(page);
        return titles.length > 0 && titles.every((title) => pattern.test(title));
      },
      { message: `every visit shown should match ${pattern}` },
    )
    .toBe(true);
}

/** Nothing of a health record on screen: no holder line, no panels of the record, no lists or tables of it. */
async function expectNoHealthData(page: Page) {
  await expect(recordHolder(page)).toHaveCount(0);
  await expect(page.getByRole('table')).toHaveCount(0);
  await expect(visits(page)).toHaveCount(0);
  for (const panel of ['基本信息', '疾病与健康问题', '家庭医生签约'])
    await expect(page.getByRole('region', { name: panel })).toHaveCount(0);
}

test('a resident filters the timeline, reads a visit, and sees the blood-pressure trend', async ({ page }) => {
  const resident = PEOPLE.patient;
  const typeFilter = () => page.getByRole('combobox', { name: '就诊类型' });
  const yearFilter = () => page.getByRole('combobox', { name: '年份' });
  let allTitles: string[] = [];
  const chosen = { title: '', facility: '', level: '', code: '', diagnosis: '' };

  await test.step('Given I open 健康档案 from the header', async () => {
    await signInAsResident(page, resident.idNumber);
    await openHealthFromNav(page);
    await expect(recordHolder(page)).toContainText('我的健康档案');
    await expect(page).toHaveURL(/\/health$/);
    await expect(mainNav(page).getByRole('link', { name: '健康档案' })).toHaveAttribute('aria-current', 'page');
  });

  await test.step('When I open 就诊记录, it shows my visits newest first, a page at a time', async () => {
    await openTimeline(page);
    await expect(page).toHaveURL(/\/health\/timeline$/);
    await expect(timelineCount(page)).toHaveText('已显示 20 条就诊记录');
    await expect(page.getByRole('button', { name: '加载更多' })).toBeVisible();
    allTitles = await visitTitles(page);
    const dates = allTitles.map((title) => title.slice(0, 10));
    expect(dates).toEqual([...dates].sort().reverse());
  });

  await test.step('And I filter by 就诊类型 健康体检: only check-ups are listed, all on one page', async () => {
    await typeFilter().selectOption({ label: '健康体检' });
    await expectEveryVisit(page, /^\d{4}\/\d{2}\/\d{2} 健康体检$/);
    const shown = await visits(page).count();
    expect(shown).toBeLessThan(allTitles.length);
    await expect(timelineCount(page)).toHaveText(`已显示 ${shown} 条就诊记录`);
    await expect(page.getByRole('button', { name: '加载更多' })).toHaveCount(0);
    await expect(typeFilter()).toHaveValue('PHYSICAL_EXAM');
  });

  await test.step('And I filter by 就诊类型 门诊 and then by the 年份 of the oldest one shown: only that year’s outpatient visits are listed', async () => {
    await typeFilter().selectOption({ label: '门诊' });
    await expectEveryVisit(page, /^\d{4}\/\d{2}\/\d{2} 门诊$/);
    const outpatient = await visitTitles(page);
    const year = outpatient[outpatient.length - 1]!.slice(0, 4);
    await yearFilter().selectOption(year);
    await expectEveryVisit(page, new RegExp(`^${year}/\\d{2}/\\d{2} 门诊$`));
    const titles = await visitTitles(page);
    await expect(timelineCount(page)).toHaveText(`已显示 ${titles.length} 条就诊记录`);
    expect(titles.length).toBeLessThan(outpatient.length);
    // Every outpatient visit of that year listed before the year was chosen is still here.
    for (const title of outpatient.filter((candidate) => candidate.startsWith(`${year}/`)))
      expect(titles).toContain(title);
  });

  await test.step('When I open the first of them', async () => {
    const first = visits(page).first();
    chosen.title = (await first.getByRole('link').innerText()).trim();
    const place = /^(.+?) (市级医院|县级医院|乡镇卫生院|村卫生站) · 科室：/.exec(
      (await first.getByRole('paragraph').filter({ hasText: ' · 科室：' }).innerText()).trim(),
    );
    expect(place).not.toBeNull();
    chosen.facility = place![1]!;
    chosen.level = place![2]!;
    const diagnosis = /^诊断：\s*([A-Z]\d{2}(?:\.\d{1,2})?)\s+(\S.*)$/.exec(
      (await first.getByRole('paragraph').filter({ hasText: '诊断：' }).innerText()).trim(),
    );
    expect(diagnosis, 'the visit shows its diagnosis with an ICD-10 code').not.toBeNull();
    chosen.code = diagnosis![1]!;
    chosen.diagnosis = diagnosis![2]!;
    await first.getByRole('link', { name: chosen.title }).click();
  });

  await test.step('Then I see its details: the diagnosis with its ICD-10 code, and the facility', async () => {
    await expect(page.getByRole('heading', { name: '就诊详情', level: 1 })).toBeVisible();
    await expect(page).toHaveURL(/\/health\/timeline\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { name: `门诊 · ${chosen.facility}`, level: 2 })).toBeVisible();
    await expect(page.getByText(`${chosen.facility}（${chosen.level}）`)).toBeVisible();
    const diagnosis = page.getByRole('region', { name: '诊断' }).getByRole('listitem').filter({ hasText: chosen.code });
    await expect(diagnosis).toHaveCount(1);
    await expect(diagnosis).toContainText(chosen.diagnosis);
    await expect(page.getByText(new RegExp(`^${chosen.title.slice(0, 10)} \\d{2}:\\d{2}`))).toBeVisible();
    await expect(healthNav(page).getByRole('link', { name: '就诊记录' })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('link', { name: '返回就诊记录', exact: true })).toBeVisible();
  });

  await test.step('When I open 体检结果', async () => {
    await healthNav(page).getByRole('link', { name: '体检结果' }).click();
    await expect(page.getByRole('heading', { name: '体检与检验结果', level: 1 })).toBeVisible();
    await expect(healthNav(page).getByRole('link', { name: '体检结果' })).toHaveAttribute('aria-current', 'page');
  });

  await test.step('Then the trend chart is drawn for 血压, with its numbers in a table beside it', async () => {
    const metric = page.getByRole('combobox', { name: '指标' });
    await expect(metric).toHaveValue('bloodPressure');
    await expect(metric.getByRole('option', { name: '血压', selected: true })).toHaveCount(1);
    const figure = page.getByRole('figure', { name: '血压历次测量值（单位：mmHg），按测量日期排列。' });
    await expect(figure).toBeVisible();
    await expect(figure.getByTestId('trend-chart').locator('canvas').first()).toBeVisible();
    const numbers = figure.getByRole('table', { name: '血压历次测量值（mmHg）' });
    await expect(numbers.getByRole('columnheader')).toHaveText(['日期', '收缩压', '舒张压']);
    await expect(numbers.getByRole('row').nth(2)).toBeAttached();
    await expect(page.getByRole('region', { name: /^\d{4}\/\d{2}\/\d{2} 健康体检$/ }).first()).toBeVisible();
  });
});

test('a parent opens the child’s record and sees a vaccine dose that is due', async ({ page }) => {
  const child = PEOPLE.child;

  await test.step('Given I (the parent) open 健康档案', async () => {
    await signInAsResident(page, PEOPLE.parent.idNumber);
    await openHealthFromNav(page);
    await expect(recordHolder(page)).toContainText('我的健康档案');
  });

  await test.step('When I switch to my child’s record', async () => {
    const people = page.getByRole('navigation', { name: '选择查看谁的档案' });
    await expect(people.getByRole('link', { name: '我的档案', exact: true })).toHaveAttribute('aria-current', 'true');
    await people.getByRole('link', { name: `${child.name}（子女）`, exact: true }).click();
    await expect(people.getByRole('link', { name: `${child.name}（子女）`, exact: true })).toHaveAttribute(
      'aria-current',
      'true',
    );
    await expect(people.getByRole('link', { name: '我的档案', exact: true })).not.toHaveAttribute('aria-current');
    await expect(page).toHaveURL(/\/health\?person=[0-9a-f-]{36}$/);
    await expect(recordHolder(page)).toContainText(`${child.name}的健康档案（子女）`);
  });

  await test.step('And I open 预防接种', async () => {
    await healthNav(page).getByRole('link', { name: '预防接种' }).click();
    await expect(page.getByRole('heading', { name: '预防接种', level: 1 })).toBeVisible();
    await expect(page).toHaveURL(/\/health\/immunizations\?person=[0-9a-f-]{36}$/);
  });

  await test.step('Then the page says it is my child’s record and lists a dose due, already overdue', async () => {
    await expect(recordHolder(page)).toContainText(`${child.name}的健康档案（子女）`);
    await expect(recordHolder(page)).toContainText('2025/02/14 出生');
    const due = page.getByRole('region', { name: '应接种' });
    const dose = due.getByRole('listitem').filter({ hasText: '已逾期' }).first();
    await expect(dose).toBeVisible();
    await expect(dose).toContainText(/第\d剂/);
    await expect(dose).toContainText(/应接种日期：\d{4}\/\d{2}\/\d{2}/);
  });

  await test.step('And the doses given so far are listed in 接种记录', async () => {
    const records = page.getByRole('table', { name: '接种记录' });
    await expect(records.getByRole('rowheader', { name: '卡介苗' })).toBeVisible();
    await expect(records.getByRole('row').filter({ hasText: '乙肝疫苗' }).filter({ hasText: '第1剂' })).toHaveCount(1);
  });
});

test('a resident downloads the record as a FHIR bundle and can print a summary', async ({ page }) => {
  const resident = PEOPLE.patient;
  let visitIds: string[] = [];

  await test.step('Given I know which visits my timeline shows', async () => {
    await signInAsResident(page, resident.idNumber);
    await openHealthFromNav(page);
    await openTimeline(page);
    await showAllVisits(page);
    visitIds = await shownEncounterIds(page);
    expect(visitIds.length).toBeGreaterThan(20);
    await healthNav(page).getByRole('link', { name: '档案概览' }).click();
    await expect(page.getByRole('heading', { name: '健康档案概览', level: 1 })).toBeVisible();
  });

  await test.step('When I press 下载健康档案（FHIR格式）', async () => {
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载健康档案（FHIR格式）' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^health-record-\d{4}-\d{2}-\d{2}\.json$/);
    await expect(
      page.getByRole('status').filter({ hasText: `已生成文件 ${download.suggestedFilename()}` }),
    ).toBeVisible();

    const bundle = JSON.parse(fs.readFileSync(await download.path(), 'utf8')) as {
      resourceType: string;
      entry: {
        fullUrl: string;
        resource: { resourceType: string; id: string; name?: { text: string }[]; birthDate?: string };
      }[];
    };

    await test.step('Then the file is a FHIR Bundle with me as the Patient and every visit as an Encounter', async () => {
      expect(bundle.resourceType).toBe('Bundle');
      const resources = bundle.entry.map((entry) => entry.resource);
      const patients = resources.filter((resource) => resource.resourceType === 'Patient');
      expect(patients).toHaveLength(1);
      expect(patients[0]!.name?.[0]?.text).toBe(resident.name);
      expect(patients[0]!.birthDate).toBe('1958-03-09');
      const encounterIds = resources
        .filter((resource) => resource.resourceType === 'Encounter')
        .map((resource) => resource.id);
      expect([...encounterIds].sort()).toEqual([...visitIds].sort());
      expect(resources.some((resource) => resource.resourceType === 'Condition')).toBe(true);
    });
  });

  await test.step('And 打印摘要 opens the browser’s print dialog', async () => {
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => void ((window as unknown as { printed: number }).printed += 1);
    });
    await page.getByRole('button', { name: '打印摘要' }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  });
});

test('staff with a card-only code are refused the health record', async ({ page, browser }) => {
  const resident = PEOPLE.cardOnlyGiver;
  const staffPage = await openSecondBrowser(browser);
  let authorizationId = '';

  await test.step('Given I (the resident) give the clerk a code with only 社会保障卡 ticked, as the page offers', async () => {
    await signInAsResident(page, resident.idNumber);
    const scopes = page.getByRole('group', { name: '允许查看的服务' });
    await expect(scopes.getByRole('checkbox', { name: '社会保障卡' })).toBeChecked();
    await expect(scopes.getByRole('checkbox', { name: '居民健康档案' })).not.toBeChecked();
    const code = await createOneTimeCode(page);
    await signInAsStaff(staffPage, STAFF.counter.staffNumber);
    authorizationId = await authorizeWithCode(staffPage, resident.idNumber, code);
    await expect(assistBanner(staffPage)).toContainText('可办理：社会保障卡');
    await expect(assistBanner(staffPage).getByRole('link', { name: '健康档案' })).toHaveCount(0);
    // The card is on screen before the clerk moves on, so its look is in the access log.
    await expect(
      staffPage.getByRole('region', { name: '电子社保卡', exact: true }).getByText(resident.name),
    ).toBeVisible();
  });

  await test.step('When the clerk opens my health record under that authorization', async () => {
    await staffPage.goto(`/assist/${authorizationId}/health`);
  });

  await test.step('Then the clerk is told my authorization does not cover it, and sees none of it', async () => {
    await expect(staffPage.getByRole('alert').filter({ hasText: SCOPE_MISSING })).toBeVisible();
    await expectNoHealthData(staffPage);
  });

  await test.step('And the timeline under the same authorization is refused the same way', async () => {
    await staffPage.goto(`/assist/${authorizationId}/health/timeline`);
    await expect(staffPage.getByRole('alert').filter({ hasText: SCOPE_MISSING })).toBeVisible();
    await expectNoHealthData(staffPage);
  });

  await test.step('And my access log shows the card was viewed, but no health record', async () => {
    await page.goto('/access-log');
    const log = accessLogTable(page);
    await expect(log.getByRole('row').filter({ hasText: '查看电子社保卡' }).first()).toContainText(STAFF.counter.name);
    await expect(log.getByRole('row').filter({ hasText: /健康档案|就诊/ })).toHaveCount(0);
  });

  await staffPage.context().close();
});

test('staff without the sensitive box do not see a sensitive visit; the resident sees who looked', async ({
  page,
  browser,
}) => {
  const resident = PEOPLE.sensitivePatient;
  const staffPage = await openSecondBrowser(browser);
  let mine: string[] = [];
  let sensitiveId = '';
  let sensitiveDiagnosis = '';
  let authorizationId = '';

  await test.step('Given I (the resident) see all my visits, one of them marked 敏感', async () => {
    await signInAsResident(page, resident.idNumber);
    await openHealthFromNav(page);
    await openTimeline(page);
    const count = await showAllVisits(page);
    mine = await shownEncounterIds(page);
    expect(mine).toHaveLength(count);
    const sensitive = visits(page).filter({ hasText: '敏感' });
    await expect(sensitive).toHaveCount(1);
    await expect(sensitive).toContainText('敏感记录（');
    const href = (await sensitive.getByRole('heading', { level: 2 }).getByRole('link').getAttribute('href')) ?? '';
    sensitiveId = /\/timeline\/([0-9a-f-]{36})$/.exec(href)?.[1] ?? '';
    expect(sensitiveId).not.toBe('');
    sensitiveDiagnosis = (await sensitive.getByRole('paragraph').filter({ hasText: '诊断：' }).innerText())
      .replace(/^诊断：\s*[A-Z]\d{2}(\.\d{1,2})?\s*/, '')
      .trim();
    expect(sensitiveDiagnosis).not.toBe('');
  });

  await test.step('And I give the clerk a code for the card and the health record, without sensitive records', async () => {
    await mainNav(page).getByRole('link', { name: '首页' }).click();
    const code = await createOneTimeCode(page, { services: ['社会保障卡', '居民健康档案'], sensitive: false });
    await signInAsStaff(staffPage, STAFF.counter.staffNumber);
    authorizationId = await authorizeWithCode(staffPage, resident.idNumber, code);
    await expect(assistBanner(staffPage)).toContainText('可办理：社会保障卡、居民健康档案');
    await expect(assistBanner(staffPage)).not.toContainText('含敏感健康记录');
  });

  await test.step('When the clerk follows the banner’s 健康档案 link', async () => {
    await assistBanner(staffPage)
      .getByRole('navigation', { name: '代办服务' })
      .getByRole('link', { name: '健康档案' })
      .click();
    await expect(staffPage).toHaveURL(new RegExp(`/assist/${authorizationId}/health$`));
    await expect(recordHolder(staffPage)).toContainText(`${resident.name}的健康档案（经居民授权代办）`);
  });

  await test.step('Then the overview does not mention the sensitive diagnosis, and offers no download', async () => {
    await expect(staffPage.getByRole('region', { name: '基本信息' })).toBeVisible();
    await expect(staffPage.getByText(sensitiveDiagnosis)).toHaveCount(0);
    await expect(staffPage.getByRole('button', { name: '下载健康档案（FHIR格式）' })).toHaveCount(0);
  });

  await test.step('And the clerk’s timeline has one visit fewer than mine: the sensitive one is missing', async () => {
    await openTimeline(staffPage);
    await expect(timelineCount(staffPage)).toHaveText(`已显示 ${mine.length - 1} 条就诊记录`);
    const theirs = await shownEncounterIds(staffPage);
    expect([...theirs].sort()).toEqual(mine.filter((id) => id !== sensitiveId).sort());
    await expect(visits(staffPage).filter({ hasText: '敏感' })).toHaveCount(0);
    await expect(staffPage.getByText(sensitiveDiagnosis)).toHaveCount(0);
    await expect(staffPage.getByRole('button', { name: /在窗口代办时隐藏/ })).toHaveCount(0);
  });

  await test.step('And the clerk can open another visit', async () => {
    await visitLinks(staffPage).first().click();
    await expect(staffPage.getByRole('heading', { name: '就诊详情', level: 1 })).toBeVisible();
    await expect(staffPage.getByRole('region', { name: '诊断' })).toBeVisible();
  });

  await test.step('But opening the sensitive visit’s address directly says it was not found', async () => {
    await staffPage.goto(`/assist/${authorizationId}/health/timeline/${sensitiveId}`);
    await expect(staffPage.getByRole('alert').filter({ hasText: NOT_FOUND })).toBeVisible();
    await expect(staffPage.getByRole('region', { name: '诊断' })).toHaveCount(0);
    await expect(staffPage.getByText(sensitiveDiagnosis)).toHaveCount(0);
  });

  await test.step('Then my access log names the clerk for each health page seen, and nothing for the refused visit', async () => {
    await mainNav(page).getByRole('link', { name: '谁查看了我的信息' }).click();
    await expect(page.getByRole('heading', { name: '谁查看了我的信息', level: 1 })).toBeVisible();
    const log = accessLogTable(page);
    for (const action of ['查看健康档案概览', '查看就诊记录', '查看一次就诊的详情']) {
      const row = log.getByRole('row').filter({ hasText: action });
      await expect(row.first()).toContainText(STAFF.counter.name);
      await expect(row.first()).toContainText(STAFF.counter.center);
      await expect(row.first()).toContainText('您的授权码');
    }
    await expect(log.getByRole('row').filter({ hasText: '查看一次就诊的详情' })).toHaveCount(1);
  });

  await staffPage.context().close();
});

test('a resident hides a visit from the counter, and shows it again', async ({ page, browser }) => {
  const resident = PEOPLE.hider;
  const staffPage = await openSecondBrowser(browser);
  let mine: string[] = [];
  let hiddenId = '';
  let hiddenTitle = '';
  let authorizationId = '';

  await test.step('Given I hide my latest visit with 在窗口代办时隐藏', async () => {
    await signInAsResident(page, resident.idNumber);
    await openHealthFromNav(page);
    await openTimeline(page);
    await showAllVisits(page);
    mine = await shownEncounterIds(page);
    hiddenId = mine[0]!;
    hiddenTitle = (await visitLinks(page).first().innerText()).trim();
    await page.getByRole('button', { name: `在窗口代办时隐藏：${hiddenTitle}的就诊记录` }).click();
  });

  await test.step('Then I am told staff will not see it, and it is marked 已对窗口隐藏, also after a reload', async () => {
    await expect(
      page.getByRole('status').filter({ hasText: `${hiddenTitle}的就诊记录已对窗口隐藏，工作人员代办时看不到。` }),
    ).toBeVisible();
    await expect(visits(page).first()).toContainText('已对窗口隐藏');
    await expect(page.getByRole('button', { name: `取消隐藏：${hiddenTitle}的就诊记录` })).toBeVisible();
    await page.reload();
    await expect(visits(page).first()).toContainText('已对窗口隐藏');
    await expect(visits(page).filter({ hasText: '已对窗口隐藏' })).toHaveCount(1);
  });

  await test.step('When I give the clerk a code for the health record only', async () => {
    await mainNav(page).getByRole('link', { name: '首页' }).click();
    const code = await createOneTimeCode(page, { services: ['居民健康档案'] });
    await signInAsStaff(staffPage, STAFF.counter.staffNumber);
    authorizationId = await authorizeWithCode(staffPage, resident.idNumber, code, 'health');
    await expect(assistBanner(staffPage)).toContainText('可办理：居民健康档案');
  });

  await test.step('Then the clerk’s timeline lacks the hidden visit, and its address says not found', async () => {
    await openTimeline(staffPage);
    await expect(timelineCount(staffPage)).toHaveText(`已显示 ${mine.length - 1} 条就诊记录`);
    expect(await shownEncounterIds(staffPage)).not.toContain(hiddenId);
    await expect(visits(staffPage).filter({ hasText: '已对窗口隐藏' })).toHaveCount(0);
    await staffPage.goto(`/assist/${authorizationId}/health/timeline/${hiddenId}`);
    await expect(staffPage.getByRole('alert').filter({ hasText: NOT_FOUND })).toBeVisible();
  });

  await test.step('When I show it again with 取消隐藏', async () => {
    await mainNav(page).getByRole('link', { name: '健康档案' }).click();
    await openTimeline(page);
    await page.getByRole('button', { name: `取消隐藏：${hiddenTitle}的就诊记录` }).click();
    await expect(page.getByRole('status').filter({ hasText: `${hiddenTitle}的就诊记录已取消隐藏。` })).toBeVisible();
    await expect(visits(page).filter({ hasText: '已对窗口隐藏' })).toHaveCount(0);
  });

  await test.step('Then the clerk, reloading the timeline, sees every visit again', async () => {
    await staffPage.goto(`/assist/${authorizationId}/health/timeline`);
    await staffPage.reload();
    await expect(timelineCount(staffPage)).toHaveText(`已显示 ${mine.length} 条就诊记录`);
    expect([...(await shownEncounterIds(staffPage))].sort()).toEqual([...mine].sort());
    await expect(recordHolder(staffPage)).toContainText(`${resident.name}的健康档案（经居民授权代办）`);
  });

  await staffPage.context().close();
});

test('deep links inside the health app survive a reload', async ({ page }) => {
  const child = PEOPLE.child;
  let immunizationsUrl = '';
  let encounterUrl = '';

  await test.step('Given I (the parent) found the addresses of my child’s immunizations and of one of the child’s visits', async () => {
    await signInAsResident(page, PEOPLE.parent.idNumber);
    await openHealthFromNav(page);
    await page
      .getByRole('navigation', { name: '选择查看谁的档案' })
      .getByRole('link', { name: `${child.name}（子女）`, exact: true })
      .click();
    await healthNav(page).getByRole('link', { name: '预防接种' }).click();
    await expect(page.getByRole('region', { name: '应接种' })).toBeVisible();
    immunizationsUrl = page.url();
    expect(immunizationsUrl).toMatch(/\/health\/immunizations\?person=[0-9a-f-]{36}$/);
    await openTimeline(page);
    await visitLinks(page).first().click();
    await expect(page.getByRole('heading', { name: '就诊详情', level: 1 })).toBeVisible();
    encounterUrl = page.url();
    expect(encounterUrl).toMatch(/\/health\/timeline\/[0-9a-f-]{36}\?person=[0-9a-f-]{36}$/);
  });

  await test.step('When I open the immunizations address afresh and reload, it shows my child’s immunizations', async () => {
    await page.goto('/');
    await page.goto(immunizationsUrl);
    await page.reload();
    await expect(page.getByRole('heading', { name: '预防接种', level: 1 })).toBeVisible();
    await expect(recordHolder(page)).toContainText(`${child.name}的健康档案（子女）`);
    await expect(page.getByRole('region', { name: '应接种' }).getByRole('listitem').first()).toBeVisible();
    await expect(
      page
        .getByRole('navigation', { name: '选择查看谁的档案' })
        .getByRole('link', { name: `${child.name}（子女）`, exact: true }),
    ).toHaveAttribute('aria-current', 'true');
    expect(page.url()).toBe(immunizationsUrl);
  });

  await test.step('And a reload on the visit’s address shows that visit', async () => {
    await page.goto(encounterUrl);
    await page.reload();
    await expect(page.getByRole('heading', { name: '就诊详情', level: 1 })).toBeVisible();
    await expect(recordHolder(page)).toContainText(`${child.name}的健康档案（子女）`);
    await expect(page.getByRole('region', { name: '诊断' })).toBeVisible();
    await expect(page.getByRole('heading', { name: '页面不存在' })).toHaveCount(0);
    expect(page.url()).toBe(encounterUrl);
  });

  await test.step('And a reload on my own timeline shows my own visits', async () => {
    await page.goto('/health/timeline');
    await page.reload();
    await expect(page.getByRole('heading', { name: '就诊记录', level: 1 })).toBeVisible();
    await expect(recordHolder(page)).toContainText('我的健康档案');
    await expect(timelineCount(page)).toBeVisible();
  });

  await test.step('And an unknown path inside the health app says the page does not exist', async () => {
    await page.goto('/health/no-such-page');
    await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible();
    await expect(recordHolder(page)).toHaveCount(0);
    await page.getByRole('link', { name: '返回健康档案概览' }).click();
    await expect(page.getByRole('heading', { name: '健康档案概览', level: 1 })).toBeVisible();
  });
});
