import { createHash } from 'node:crypto';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { PEOPLE, STAFF } from '../support/people';
import {
  applicationIdFromUrl,
  chooseSchools,
  chosenSchools,
  disguisedProgram,
  draftSteps,
  smallPdf,
  startApplication,
  stepHeading,
  submitDraft,
} from '../support/enrollment';
import {
  accessLogTable,
  assistBanner,
  authorizeWithCode,
  createOneTimeCode,
  inboxLink,
  mainNav,
  openSecondBrowser,
  signInAsResident,
  signInAsStaff,
} from '../support/portal';

/** 子女入学: parents apply, the education bureau reviews and allocates, parents answer the offer. */

const PRIMARY = '小学一年级';

/** Opens 子女入学 from the header, as a parent would. */
async function openEnrollmentFromNav(page: Page) {
  await mainNav(page).getByRole('link', { name: '子女入学' }).click();
  await expect(page.getByRole('heading', { name: '子女入学', level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: '我的子女' })).toBeVisible();
}

/** The reviewer's queue, filtered to the applications that chose one school. */
async function filterQueueBySchool(page: Page, school: string) {
  await page.getByLabel('志愿学校').selectOption({ label: `${school}（${PRIMARY}）` });
  await page.getByRole('button', { name: '筛选', exact: true }).click();
}

/** docs/lottery.md: SHA-256 over the text, as hex. */
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const HEX64 = /[0-9a-f]{64}/;

/** A value in a description list (摇号 on the family's page, the round on the reviewer's), by its term. */
async function described(scope: Locator, term: string): Promise<string> {
  const terms = await scope.getByRole('term').allTextContents();
  const index = terms.findIndex((text) => text.trim() === term);
  expect(index, `term ${term} in ${JSON.stringify(terms)}`).toBeGreaterThanOrEqual(0);
  return ((await scope.getByRole('definition').nth(index).textContent()) ?? '').trim();
}

/** The message center's messages, found by their text. */
function message(page: Page, text: string) {
  return page.getByRole('main').getByRole('listitem').filter({ hasText: text });
}

test('a parent applies, the reviewer asks for a document, approves and allocates, and the parent accepts the place', async ({
  page,
  browser,
}) => {
  const parent = PEOPLE.enrollParent;
  const child = PEOPLE.enrollChild;
  const first = '陆河县螺溪中心小学';
  const second = '陆河县螺溪第二小学';
  let reference = '';
  const reviewer = await openSecondBrowser(browser);

  await test.step('Given I open 子女入学, my child can apply for primary school and the window is open', async () => {
    await signInAsResident(page, parent.idNumber);
    await openEnrollmentFromNav(page);
    const children = page.getByRole('region', { name: '我的子女' });
    await expect(children.getByRole('listitem').filter({ hasText: child.name }).first()).toContainText(
      `可以报名${PRIMARY}`,
    );
    await expect(page.getByRole('region', { name: '报名时间' })).toContainText('正在报名');
  });

  await test.step('When I start, the first step shows what the city knows and the category it gives', async () => {
    await startApplication(page, child.name);
    await expect(page.getByText('户籍', { exact: true })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: '户籍在本学区' })).toContainText('螺溪镇螺溪');
    await expect(page.getByText('在本学区没有自有住房登记')).toBeVisible();
  });

  await test.step('And I choose two district schools, put the second first with 上移, and save the draft twice', async () => {
    await page.getByRole('button', { name: '下一步' }).click();
    await expect(stepHeading(page, 2, '选择学校')).toBeVisible();
    await page.getByRole('button', { name: `将${second}加入志愿` }).click();
    await page.getByRole('button', { name: `将${first}加入志愿` }).click();
    await expect(chosenSchools(page)).toHaveText([second, first]);
    await page.getByRole('button', { name: `将${first}上移` }).click();
    await expect(chosenSchools(page)).toHaveText([first, second]);
    await expect(page.getByRole('status').filter({ hasText: `${first}现在是第1志愿。` })).toBeAttached();
    // Focus stays with the moved school, on the control that can still act.
    await expect(page.getByRole('button', { name: `将${first}下移` })).toBeFocused();
    await page.getByRole('button', { name: '保存草稿' }).click();
    await expect(page.getByRole('status').filter({ hasText: '志愿已保存。' })).toBeVisible();
    await page.getByRole('button', { name: '保存草稿' }).click();
    await expect(page.getByRole('status').filter({ hasText: '志愿已保存。' })).toBeVisible();
    await page.reload();
    await expect(stepHeading(page, 2, '选择学校')).toBeVisible();
    await expect(chosenSchools(page)).toHaveText([first, second]);
  });

  await test.step('Then my category needs no documents, and I submit: the confirmation gives the reference and what happens next', async () => {
    await page.getByRole('button', { name: '下一步' }).click();
    await expect(stepHeading(page, 3, '上传材料')).toBeVisible();
    await expect(page.getByText('您的申请类别不需要上传材料，市里的记录已足够。')).toBeVisible();
    reference = await submitDraft(page);
    const confirmation = page.getByRole('region', { name: '申请已提交' });
    await expect(confirmation.getByRole('heading', { name: '接下来' })).toBeVisible();
    await expect(confirmation.getByRole('listitem')).toHaveCount(4);
    await expect(page.getByRole('region', { name: '办理进度' }).locator('[aria-current="step"]')).toContainText('审核');
  });

  await test.step('And the overview lists one application for my child', async () => {
    await mainNav(page).getByRole('link', { name: '子女入学' }).click();
    const applications = page.getByRole('region', { name: '我的申请' }).getByRole('listitem');
    await expect(applications).toHaveCount(1);
    await expect(applications).toContainText(`申请编号 ${reference}`);
    await expect(applications).toContainText('已提交');
    await applications.getByRole('link', { name: `查看进度：${child.name}的${PRIMARY}申请` }).click();
    await expect(page.getByRole('heading', { name: `${child.name}的${PRIMARY}入学申请` })).toBeVisible();
  });

  await test.step('When the reviewer opens it from the queue and asks for a proof of guardianship', async () => {
    await signInAsStaff(reviewer, STAFF.reviewer.staffNumber);
    await expect(reviewer).toHaveURL(/\/enrollment\/review$/);
    await expect(mainNav(reviewer).getByRole('link', { name: '入学审核' })).toHaveAttribute('aria-current', 'page');
    await expect(reviewer.getByRole('region', { name: '办理统计' })).toContainText(
      /已提交申请 \d+ 份，其中全程网上办理 \d+ 份/,
    );
    await filterQueueBySchool(reviewer, first);
    await expect(reviewer).toHaveURL(/\/enrollment\/review\?school=[0-9a-f-]{36}$/);
    await reviewer.getByRole('link', { name: `审核申请 ${reference}` }).click();
    await expect(reviewer.getByRole('heading', { name: `审核申请 ${reference}`, level: 1 })).toBeVisible();
    await expect(reviewer.getByRole('region', { name: '申请信息' })).toContainText('审核中');
    await expect(reviewer.getByRole('region', { name: '申请信息' })).toContainText('家长网上办理');
    await reviewer.getByRole('radio', { name: '要求补充材料' }).check();
    await reviewer.getByLabel('说明').fill('请上传孩子的监护关系证明（出生医学证明）');
    await reviewer.getByRole('button', { name: '提交决定' }).click();
    await expect(reviewer.getByRole('status').filter({ hasText: '已提交：要求补充材料。' })).toBeVisible();
    await expect(reviewer.getByRole('region', { name: '申请信息' })).toContainText('需补充材料');
    // Back in the queue, the filter is as the reviewer left it.
    await reviewer.getByRole('link', { name: '返回审核队列' }).click();
    await expect(reviewer.getByLabel('志愿学校').locator('option:checked')).toHaveText(`${first}（${PRIMARY}）`);
    await expect(reviewer.getByRole('row').filter({ hasText: reference })).toContainText('需补充材料');
    await reviewer.getByRole('link', { name: `审核申请 ${reference}` }).click();
    await expect(reviewer.getByRole('heading', { name: `审核申请 ${reference}`, level: 1 })).toBeVisible();
  });

  await test.step('Then I see the request, upload a real PDF and send it back', async () => {
    await page.reload();
    const request = page.getByRole('region', { name: '需要补充材料' });
    await expect(request).toContainText('请上传孩子的监护关系证明（出生医学证明）');
    await expect(page.getByRole('region', { name: '办理记录' })).toContainText(`教育局 ${STAFF.reviewer.name}`);
    await request.getByLabel('材料类型').selectOption({ label: '监护关系证明' });
    await request
      .getByLabel('选择文件')
      .setInputFiles({ name: '出生医学证明.pdf', mimeType: 'application/pdf', buffer: smallPdf('Birth certificate') });
    await request.getByRole('button', { name: '上传' }).click();
    await expect(request.getByRole('status').filter({ hasText: '“出生医学证明.pdf”已上传。' })).toBeVisible();
    await request.getByLabel('给审核员的说明（选填）').fill('已上传出生医学证明');
    await request.getByRole('button', { name: '提交补充材料' }).click();
    await expect(page.getByRole('region', { name: '需要补充材料' })).toHaveCount(0);
    await expect(
      page.getByRole('status').filter({ hasText: '补充材料已提交，申请已重新提交，等待教育局审核。' }),
    ).toBeVisible();
    await expect(page.getByRole('region', { name: '办理记录' })).toContainText('说明：已上传出生医学证明');
  });

  await test.step('And the reviewer opens the document in a new tab and approves', async () => {
    await reviewer.reload();
    await expect(reviewer.getByRole('region', { name: '申请信息' })).toContainText('审核中');
    const documents = reviewer.getByRole('region', { name: '材料' });
    await expect(documents).toContainText('出生医学证明.pdf');
    const popup = reviewer.waitForEvent('popup');
    await documents.getByRole('button', { name: '在新标签页查看出生医学证明.pdf' }).click();
    const tab = await popup;
    await expect.poll(() => tab.url()).toMatch(/^blob:/);
    await tab.close();
    await reviewer.getByRole('radio', { name: '通过', exact: true }).check();
    await reviewer.getByRole('button', { name: '提交决定' }).click();
    await expect(reviewer.getByRole('status').filter({ hasText: '已提交：通过。' })).toBeVisible();
    await expect(reviewer.getByRole('region', { name: '申请信息' })).toContainText('审核通过');
  });

  let commitment = '';

  await test.step('When the reviewer opens the round, the system draws the seed and only its SHA-256 is published', async () => {
    await reviewer.getByRole('navigation', { name: '入学审核功能' }).getByRole('link', { name: '学位分配' }).click();
    await expect(reviewer.getByRole('heading', { name: '学位分配', level: 1 })).toBeVisible();
    await reviewer.getByLabel('县区').selectOption({ label: '陆河县' });
    await reviewer.getByRole('checkbox', { name: '只看有待分配申请的学校' }).check();
    await expect(reviewer.getByRole('status').filter({ hasText: /^显示 \d+ 所学校，共 \d+ 所$/ })).toBeVisible();
    await expect(reviewer.getByRole('button', { name: `分配${second}的学位` })).toHaveCount(0);
    await reviewer.getByRole('button', { name: `分配${first}的学位` }).click();
    await expect(reviewer.getByRole('heading', { name: `分配${first}的学位`, level: 2 })).toBeFocused();
    await expect(reviewer.getByRole('heading', { name: '第1轮摇号', level: 3 })).toBeVisible();
    // Nobody types a seed: there is no field for one.
    await expect(reviewer.getByRole('main').getByRole('textbox')).toHaveCount(0);
    await expect(reviewer.getByRole('button', { name: '试运行' })).toHaveCount(0);
    await reviewer.getByRole('button', { name: '公示摇号种子' }).click();
    const round = reviewer.getByRole('main');
    await expect(round.getByRole('term').filter({ hasText: '种子指纹（SHA-256）' })).toBeVisible();
    commitment = await described(round, '种子指纹（SHA-256）');
    expect(commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(await described(round, '公示时间')).toContain(STAFF.reviewer.name);
    await expect(round.getByRole('term').filter({ hasText: '摇号种子（已公布）' })).toHaveCount(0);
    await expect(reviewer.getByRole('row').filter({ hasText: first }).first()).toContainText('第1轮已公示种子指纹');
  });

  await test.step('Then my application shows the published fingerprint and when it was published, and no lottery number yet', async () => {
    await page.reload();
    const lottery = page.getByRole('region', { name: '摇号' });
    await expect(lottery.getByRole('heading', { name: `${first} 第1轮`, level: 3 })).toBeVisible();
    expect(await described(lottery, '种子指纹（SHA-256）')).toMatch(new RegExp(`^${commitment}.*公示$`));
    await expect(lottery).toContainText('种子本身在教育局确认分配时公布');
    await expect(lottery.getByRole('term').filter({ hasText: '您的抽签号' })).toHaveCount(0);
  });

  let seed = '';

  await test.step('When the reviewer runs a dry run (recorded) and commits it after confirming, the seed is revealed', async () => {
    await reviewer.getByRole('button', { name: '试运行' }).click();
    const result = reviewer.getByRole('table', { name: `${first} 第1轮分配结果` });
    const row = result.getByRole('row').filter({ hasText: reference });
    await expect(row).toContainText('获得学位');
    await expect(row.getByText(/^[0-9a-f]{16}$/)).toBeVisible();
    await expect(reviewer.getByRole('heading', { name: '试运行结果（未保存）' })).toBeVisible();
    // The dry run is on the round's record, with who ran it.
    const dryRuns = reviewer.getByRole('table', { name: '第1轮试运行记录' });
    await expect(dryRuns.getByRole('row')).toHaveCount(2);
    await expect(dryRuns.getByRole('row').nth(1)).toContainText(STAFF.reviewer.name);
    await reviewer.getByRole('button', { name: '确认分配' }).click();
    await reviewer.getByRole('button', { name: '确定分配' }).click();
    await expect(
      reviewer.getByRole('status').filter({ hasText: /^第1轮已分配（种子 [0-9a-f]{12}… 已公布）/ }),
    ).toBeVisible();
    seed = await described(reviewer.getByRole('main'), '摇号种子（已公布）');
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    // The revealed seed is the one whose SHA-256 was published before the round.
    expect(sha256(seed)).toBe(commitment);
    await expect(reviewer.getByRole('heading', { name: '分配结果（已保存）' })).toBeVisible();
    // Nobody waits for the school any more: it shows again with the list unfiltered, with its round.
    await expect(reviewer.getByRole('button', { name: `分配${first}的学位` })).toHaveCount(0);
    await reviewer.getByRole('checkbox', { name: '只看有待分配申请的学校' }).uncheck();
    await expect(reviewer.getByRole('row').filter({ hasText: first }).first()).toContainText(
      `第1轮 · 种子 ${seed.slice(0, 12)}…`,
    );
  });

  await test.step('Then I am offered the place and accept it before the deadline', async () => {
    await page.reload();
    const offer = page.getByRole('region', { name: '学位通知' });
    await expect(offer).toContainText(`${child.name}获得 ${first} 的学位。`);
    await expect(offer).toContainText('前确认');
    await offer.getByRole('button', { name: '接受学位' }).click();
    await expect(offer.getByRole('status')).toHaveText(`您已接受 ${first} 的学位。请留意学校的报到通知。`);
    await expect(page.getByText('已接受学位').first()).toBeVisible();
  });

  await test.step('And I see the revealed seed and my lottery number, and recompute both from the published inputs', async () => {
    const lottery = page.getByRole('region', { name: '摇号' });
    expect((await described(lottery, '摇号种子')).match(HEX64)?.[0]).toBe(seed);
    expect(await described(lottery, '申请编号')).toBe(reference);
    const number = await described(lottery, '您的抽签号');
    expect(number).toBe(sha256(`${seed}:${reference}`).slice(0, 16));
    expect(await described(lottery, '结果')).toBe('获得学位');
    expect(await described(lottery, '排序')).toMatch(/^第 \d+ 位（本轮 \d+ 人，\d+ 个学位）$/);
    // The exact commands, with this round's values.
    await expect(lottery.getByText(`printf '%s' '${seed}' | sha256sum`, { exact: true })).toBeVisible();
    await expect(
      lottery.getByText(`printf '%s' '${seed}:${reference}' | sha256sum | cut -c1-16`, { exact: true }),
    ).toBeVisible();
    // The published list: my row is marked; every number in it recomputes from the seed and its reference.
    await lottery.getByRole('button', { name: /^显示本轮公示名单（\d+ 人）$/ }).click();
    const list = lottery.getByRole('table', { name: `${first} 第1轮公示名单` });
    await expect(list.getByRole('row').filter({ hasText: reference })).toContainText('（本申请）');
    const rows = await list.getByRole('row').allTextContents();
    for (const text of rows.slice(1)) {
      const [listed] = text.match(/JY2027P-[0-9A-Z]{6}/) ?? [];
      const [lotteryNumber] = text.match(/[0-9a-f]{16}/) ?? [];
      expect(lotteryNumber).toBe(sha256(`${seed}:${listed}`).slice(0, 16));
    }
    await expect(list).not.toContainText(child.name);
    const download = page.waitForEvent('download');
    await lottery.getByRole('button', { name: '下载公示名单（JSON）' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`lottery-2027-${reference}-round-1.json`);
  });

  await test.step('And the message center has each step, newest first', async () => {
    await inboxLink(page).click();
    await expect(page.getByRole('heading', { name: '消息中心', level: 1 })).toBeVisible();
    const steps = [
      `${child.name}的入学申请已提交，申请编号 ${reference}。`,
      `${child.name}的入学申请（${reference}）正在审核中。`,
      `${child.name}的入学申请（${reference}）需要补充材料，请查看审核意见并上传。`,
      `${child.name}的入学申请（${reference}）已审核通过，等待学位分配。`,
      `${child.name}已获得${first}的学位（申请编号 ${reference}），请在截止日期前确认是否接受。`,
      `您已为${child.name}接受${first}的学位（申请编号 ${reference}）。`,
    ];
    for (const text of steps) await expect(message(page, text).first()).toBeVisible();
    await expect(page.getByRole('main').getByRole('listitem').first()).toContainText(steps.at(-1)!);
    // Each message leads back to the application.
    await message(page, steps[2]!).getByRole('link', { name: '查看' }).click();
    await expect(page).toHaveURL(/\/enrollment\/applications\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { name: `${child.name}的${PRIMARY}入学申请` })).toBeVisible();
  });

  await test.step('And my access log shows that the education bureau read the application and the document', async () => {
    await page.goto('/access-log');
    const log = accessLogTable(page);
    await expect(log.getByRole('row').filter({ hasText: '审核入学申请' }).first()).toContainText(STAFF.reviewer.name);
    await expect(log.getByRole('row').filter({ hasText: '审核入学申请' }).first()).toContainText(
      '您提交的入学申请（教育局审核）',
    );
    await expect(log.getByRole('row').filter({ hasText: '查看入学申请材料（审核）' })).toHaveCount(1);
  });

  await reviewer.context().close();
});

test('a disguised file is refused with a clear message, and a migrant family’s rental contract is accepted', async ({
  page,
}) => {
  const parent = PEOPLE.migrantParent;
  const child = PEOPLE.migrantChild;

  await test.step('Given I am a migrant parent: the category is 随迁子女 with points from the city’s records', async () => {
    await signInAsResident(page, parent.idNumber);
    await openEnrollmentFromNav(page);
    await startApplication(page, child.name);
    await expect(page.getByText('随迁子女', { exact: true })).toBeVisible();
    await expect(page.getByText('持有本学区居住证')).toBeVisible();
    await expect(page.getByText('社保缴费 36 个月：36 分')).toBeVisible();
    await expect(page.getByText('居住证 3 年：6 分')).toBeVisible();
    await expect(page.getByText('合计 42 分')).toBeVisible();
  });

  await test.step('And the documents step asks for the rental contract only', async () => {
    await chooseSchools(page, ['陆河县新田中心小学']);
    await draftSteps(page).getByRole('link', { name: '上传材料' }).click();
    await expect(stepHeading(page, 3, '上传材料')).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: '房屋租赁合同' })).toContainText('未上传');
  });

  await test.step('When I upload a program renamed to 租赁合同.pdf, the gateway refuses it and nothing is stored', async () => {
    await page
      .getByLabel('选择文件')
      .setInputFiles({ name: '租赁合同.pdf', mimeType: 'application/pdf', buffer: disguisedProgram() });
    await page.getByRole('button', { name: '上传' }).click();
    await expect(page.getByRole('alert')).toHaveText('只能上传 PDF、JPEG 或 PNG 文件，且文件名后缀须与文件内容一致。');
    await expect(page.getByText('还没有上传材料。')).toBeVisible();
    await page.reload();
    await expect(page.getByText('还没有上传材料。')).toBeVisible();
  });

  await test.step('And a file over 5 MB is stopped in the browser with its size', async () => {
    await page.getByLabel('选择文件').setInputFiles({
      name: '扫描件.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.concat([smallPdf('big'), Buffer.alloc(6 * 1024 * 1024, 32)]),
    });
    await expect(page.getByText(/^文件“扫描件\.pdf”有 6 MB，超过 5 MB，请压缩后再上传。$/)).toBeVisible();
    await expect(page.getByLabel('选择文件')).toHaveAttribute('aria-invalid', 'true');
  });

  await test.step('Then the real rental contract is accepted and the draft can be submitted', async () => {
    await page
      .getByLabel('选择文件')
      .setInputFiles({ name: '租赁合同.pdf', mimeType: 'application/pdf', buffer: smallPdf('Rental contract') });
    await page.getByRole('button', { name: '上传' }).click();
    await expect(page.getByRole('status').filter({ hasText: '“租赁合同.pdf”已上传。' })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: '房屋租赁合同' }).first()).toContainText('已上传');
    await submitDraft(page);
  });
});

test('two reviewers decide the same application: the second gets a clear conflict and sees the first decision', async ({
  page,
  browser,
}) => {
  const parent = PEOPLE.contestedParent;
  const child = PEOPLE.contestedChild;
  await signInAsResident(page, parent.idNumber);
  await openEnrollmentFromNav(page);
  await startApplication(page, child.name);
  await chooseSchools(page, ['陆河县河口中心小学']);
  const reference = await submitDraft(page);
  const applicationId = applicationIdFromUrl(page);

  const firstReviewer = await openSecondBrowser(browser);
  const secondReviewer = await openSecondBrowser(browser);
  for (const reviewer of [firstReviewer, secondReviewer]) {
    await signInAsStaff(reviewer, STAFF.reviewer.staffNumber);
    await reviewer.goto(`/enrollment/review/${applicationId}`);
    await expect(reviewer.getByRole('heading', { name: `审核申请 ${reference}` })).toBeVisible();
  }
  // The first look started the review; the second reviewer's page may hold the version before that, so both reload.
  await firstReviewer.reload();
  await secondReviewer.reload();
  await expect(secondReviewer.getByRole('region', { name: '申请信息' })).toContainText('审核中');

  await firstReviewer.getByRole('radio', { name: '通过', exact: true }).check();
  await firstReviewer.getByRole('button', { name: '提交决定' }).click();
  await expect(firstReviewer.getByRole('status').filter({ hasText: '已提交：通过。' })).toBeVisible();

  await secondReviewer.getByRole('radio', { name: '不通过' }).check();
  await secondReviewer.getByLabel('说明').fill('不在本学区');
  await secondReviewer.getByRole('button', { name: '提交决定' }).click();
  await expect(
    secondReviewer.getByRole('status').filter({ hasText: '另一位审核员刚刚处理了这份申请，您的决定没有保存。' }),
  ).toBeVisible();
  await expect(secondReviewer.getByRole('region', { name: '申请信息' })).toContainText('审核通过');
  await expect(secondReviewer.getByText('当前状态下不能作出审核决定。')).toBeVisible();

  await page.reload();
  await expect(page.getByText('审核通过').first()).toBeVisible();
  await expect(page.getByRole('region', { name: '办理记录' })).not.toContainText('不在本学区');
  await firstReviewer.context().close();
  await secondReviewer.context().close();
});

test('a parent declines an offered place, after being told it cannot be undone', async ({ page, browser }) => {
  const parent = PEOPLE.decliningParent;
  const child = PEOPLE.decliningChild;
  const school = '陆河县新田第二小学';
  await signInAsResident(page, parent.idNumber);
  await openEnrollmentFromNav(page);
  await startApplication(page, child.name);
  await chooseSchools(page, [school]);
  const reference = await submitDraft(page);
  const applicationId = applicationIdFromUrl(page);

  const reviewer = await openSecondBrowser(browser);
  await signInAsStaff(reviewer, STAFF.reviewer.staffNumber);
  await reviewer.goto(`/enrollment/review/${applicationId}`);
  await reviewer.getByRole('radio', { name: '通过', exact: true }).check();
  await reviewer.getByRole('button', { name: '提交决定' }).click();
  await expect(reviewer.getByRole('status').filter({ hasText: '已提交：通过。' })).toBeVisible();
  await reviewer.goto('/enrollment/allocation');
  await reviewer.getByRole('button', { name: `分配${school}的学位` }).click();
  await reviewer.getByRole('button', { name: '公示摇号种子' }).click();
  await reviewer.getByRole('button', { name: '试运行' }).click();
  await expect(reviewer.getByRole('row').filter({ hasText: reference })).toContainText('获得学位');
  await reviewer.getByRole('button', { name: '确认分配' }).click();
  await reviewer.getByRole('button', { name: '确定分配' }).click();
  await expect(
    reviewer.getByRole('status').filter({ hasText: /^第1轮已分配（种子 [0-9a-f]{12}… 已公布）/ }),
  ).toBeVisible();
  await reviewer.context().close();

  await page.reload();
  const offer = page.getByRole('region', { name: '学位通知' });
  await offer.getByRole('button', { name: '放弃学位' }).click();
  const confirm = offer.getByRole('group', { name: '放弃学位' });
  await expect(confirm).toContainText('放弃后学位将分配给其他学生，且不能撤回。确定放弃吗？');
  await expect(confirm.getByRole('button', { name: '确定放弃' })).toBeFocused();
  await confirm.getByRole('button', { name: '取消' }).click();
  await expect(offer.getByRole('button', { name: '接受学位' })).toBeVisible();
  await offer.getByRole('button', { name: '放弃学位' }).click();
  await offer.getByRole('button', { name: '确定放弃' }).click();
  await expect(offer.getByRole('status')).toHaveText('您已放弃该学位。');
  await expect(offer.getByRole('button', { name: '接受学位' })).toHaveCount(0);
  await inboxLink(page).click();
  await expect(message(page, `您已放弃${child.name}在${school}的学位（申请编号 ${reference}）。`)).toBeVisible();
});

test('counter staff file and submit an application for a parent under an enrollment-only authorization', async ({
  page,
  browser,
}) => {
  const parent = PEOPLE.assistedParent;
  const child = PEOPLE.assistedChild;
  const residentPage = await openSecondBrowser(browser);
  await signInAsResident(residentPage, parent.idNumber);
  const code = await createOneTimeCode(residentPage, { services: ['子女入学'] });

  await signInAsStaff(page, STAFF.counter.staffNumber);
  const authorizationId = await authorizeWithCode(page, parent.idNumber, code, 'enrollment');
  await expect(assistBanner(page)).toContainText(`正在为 ${parent.name}`);
  await expect(page.getByRole('heading', { name: '子女入学', level: 1 })).toBeVisible();
  await expect(page.getByText('您正在为居民代办入学申请')).toBeVisible();

  await startApplication(page, child.name);
  await expect(page).toHaveURL(new RegExp(`/assist/${authorizationId}/enrollment/applications/[0-9a-f-]{36}$`));
  await expect(page.getByText('户籍+房产', { exact: true })).toBeVisible();
  await chooseSchools(page, ['陆河县上护中心小学', '陆河县上护第二小学']);
  const reference = await submitDraft(page);
  await expect(page.getByRole('region', { name: '办理进度' })).toContainText(`由${STAFF.counter.center}工作人员代办`);

  await residentPage.goto('/enrollment');
  const applications = residentPage.getByRole('region', { name: '我的申请' }).getByRole('listitem');
  await expect(applications.filter({ hasText: reference })).toContainText('已提交');
  await residentPage.goto('/access-log');
  await expect(accessLogTable(residentPage).getByRole('row').filter({ hasText: '代办提交入学申请' })).toContainText(
    STAFF.counter.name,
  );
  await residentPage.context().close();
});
