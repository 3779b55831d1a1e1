import { expect, test, type Locator, type Page } from '@playwright/test';
import { maskName } from '@portal/identity';
import { PEOPLE, STAFF } from '../support/people';
import {
  accessLogTable,
  actingForSwitch,
  authorizeWithCode,
  createOneTimeCode,
  eldercareNav,
  mainNav,
  openEldercareFromNav,
  openSecondBrowser,
  signInAsResident,
  signInAsStaff,
  subsidyBalance,
} from '../support/portal';

/** 居家养老: family delegation, booking with the subsidy, the provider's steps, rating, the race for the last place, the counter. */

const MEAL = '长者午餐配送（两荤一素）';
const MEAL_REGION = `助餐：${MEAL}`;
const HOME_VISIT = '上门探访与陪伴';

/** The panel of one order or service, named by its heading (e.g. 助餐：长者午餐配送（两荤一素）). */
function panel(page: Page, name: string | RegExp): Locator {
  return page.getByRole('region', { name });
}

/** From the services page: picks a kind, opens the booking of one item, and chooses its first free time. Returns that time's label. */
async function chooseFirstTime(page: Page, kind: string, item: string): Promise<string> {
  await eldercareNav(page).getByRole('link', { name: '上门服务' }).click();
  await expect(page.getByRole('heading', { name: '上门服务', level: 1 })).toBeVisible();
  await page.getByRole('navigation', { name: '服务种类' }).getByRole('link', { name: kind, exact: true }).click();
  await page.getByRole('link', { name: new RegExp(`^预约${item}（`) }).click();
  await expect(page.getByRole('heading', { name: '预约服务', level: 1 })).toBeVisible();
  const first = page.getByRole('group', { name: '第一步：选择时间' }).getByRole('radio').first();
  await first.check();
  const label = (await first.evaluate((input) => input.closest('label')?.textContent ?? '')).trim();
  expect(label).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}–\d{2}:\d{2}/);
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.getByRole('heading', { name: '第二步：确认预约' })).toBeVisible();
  return label;
}

test('a son, delegated by his mother, books her a meal; the provider serves it; she rates it and the subsidy paid its share', async ({
  page,
  browser,
}) => {
  // Three people at three devices, each step waiting on the others.
  test.setTimeout(120_000);
  const mother = PEOPLE.careMother;
  const son = PEOPLE.careSon;
  const sonPage = await openSecondBrowser(browser);
  const provider = await openSecondBrowser(browser);

  await test.step('Given the mother (aged over 60) sees her care profile: level 轻度受损 and ¥100.00 of subsidy this month', async () => {
    await signInAsResident(page, mother.idNumber);
    await openEldercareFromNav(page);
    await expect(page.getByTestId('care-holder')).toContainText(`${mother.name}，76岁`);
    await expect(subsidyBalance(page)).toHaveText('¥100.00');
    await expect(panel(page, '能力评估')).toContainText('轻度受损');
    await expect(panel(page, '养老服务补贴')).toContainText('按能力评估等级“轻度受损”：¥100.00');
    await expect(panel(page, '基本情况')).toContainText('林志明（儿子） 138****1111');
  });

  await test.step('When she gives her son (registered elsewhere) permission by his ID number', async () => {
    await eldercareNav(page).getByRole('link', { name: '家人代办' }).click();
    await expect(page.getByRole('heading', { name: '家人代办', level: 1 })).toBeVisible();
    const mistyped = son.idNumber.slice(0, 17) + (son.idNumber.endsWith('0') ? '1' : '0');
    await page.getByLabel('子女的身份证号码').fill(mistyped);
    await page.getByRole('button', { name: '确认委托' }).click();
    // A mistyped number is caught before anything is sent.
    await expect(page.getByText('身份证号码校验位不正确，请检查是否输错。')).toBeVisible();
    await page.getByLabel('子女的身份证号码').fill(son.idNumber);
    await page.getByRole('button', { name: '确认委托' }).click();
    await expect(page.getByRole('status').filter({ hasText: `已委托 ${son.name}。` })).toBeVisible();
    await expect(panel(page, '我委托的家人')).toContainText(`${son.name}（子女）`);
    await expect(panel(page, '我委托的家人').getByRole('button', { name: `取消对 ${son.name} 的委托` })).toBeVisible();
  });

  await test.step('Then the son, himself under 60, chooses 为谁办理 → his mother and sees her profile', async () => {
    await signInAsResident(sonPage, son.idNumber);
    await openEldercareFromNav(sonPage);
    await expect(sonPage.getByText('居家养老服务面向60周岁及以上的老人。')).toBeVisible();
    // His own services page says why there is nothing to book, and offers to act for his mother.
    await eldercareNav(sonPage).getByRole('link', { name: '上门服务' }).click();
    await expect(sonPage.getByRole('alert')).toHaveText('居家养老服务面向60周岁及以上的老年人。');
    await sonPage.getByRole('link', { name: `为 ${mother.name} 办理` }).click();
    await expect(sonPage).toHaveURL(/\/eldercare\/services\?for=[0-9a-f-]{36}$/);
    await expect(sonPage.getByRole('link', { name: /^预约/ }).first()).toBeVisible();
    await expect(actingForSwitch(sonPage).getByRole('link', { name: `${mother.name}（委托我办理）` })).toHaveAttribute(
      'aria-current',
      'true',
    );
    await eldercareNav(sonPage).getByRole('link', { name: '我的养老' }).click();
    await expect(sonPage.getByRole('heading', { name: `${mother.name}的养老信息`, level: 1 })).toBeVisible();
    await expect(sonPage.getByRole('status').filter({ hasText: `您正在为 ${mother.name} 办理` })).toBeVisible();
    await expect(subsidyBalance(sonPage)).toHaveText('¥100.00');
    // Giving delegations stays the mother's own business.
    await expect(eldercareNav(sonPage).getByRole('link', { name: '家人代办' })).toHaveCount(0);
  });

  await test.step('And he books her a meal: the confirmation says the subsidy pays ¥10.00 and she pays ¥5.00', async () => {
    await chooseFirstTime(sonPage, '助餐', MEAL);
    await expect(sonPage.getByTestId('confirm-subsidy')).toHaveText('¥10.00');
    await expect(sonPage.getByTestId('confirm-self-pay')).toHaveText('¥5.00');
    await expect(panel(sonPage, '第二步：确认预约')).toContainText(new RegExp(`为谁预约\\s*${mother.name}`));
    await sonPage.getByRole('button', { name: '确认预约' }).click();
    await expect(sonPage.getByRole('status').filter({ hasText: '预约成功！' })).toBeVisible();
    await sonPage.getByRole('link', { name: '查看我的订单' }).click();
    await expect(sonPage.getByRole('heading', { name: '我的订单', level: 1 })).toBeVisible();
    await expect(sonPage).toHaveURL(/\/eldercare\/orders\?for=[0-9a-f-]{36}$/);
    const order = panel(sonPage, MEAL_REGION);
    await expect(order).toContainText('已预约，等待服务商确认');
    await expect(order).toContainText(`由 ${son.name} 代为预约`);
  });

  await test.step('When the meal provider confirms, starts and completes the order', async () => {
    await signInAsStaff(provider, STAFF.careProvider.staffNumber);
    await expect(provider).toHaveURL(/\/eldercare\/provider$/);
    await expect(provider.getByRole('heading', { name: '服务订单', level: 1 })).toBeVisible();
    await expect(provider.getByText(/^陆丰市.*的订单$/)).toBeVisible();
    await expect(provider.getByRole('alert')).toHaveCount(0);
    const order = panel(provider, new RegExp(`· ${mother.name}$`));
    await expect(order).toContainText(MEAL);
    for (const [button, status] of [
      ['确认接单', '服务商已确认'],
      ['开始服务', '正在服务'],
      ['服务完成', '已完成'],
    ] as const) {
      await order.getByRole('button', { name: new RegExp(`^${button}：${mother.name}`) }).click();
      await expect(
        provider.getByRole('status').filter({ hasText: `已更新：${mother.name}，${status}。` }),
      ).toBeVisible();
      await expect(order).toContainText(status);
    }
    await expect(order.getByRole('button')).toHaveCount(0);
  });

  await test.step('Then the mother sees the completed meal among past orders, booked by her son, and rates it 5 stars', async () => {
    await page.goto('/eldercare/orders');
    await page.getByRole('navigation', { name: '订单范围' }).getByRole('link', { name: '已结束' }).click();
    const order = panel(page, MEAL_REGION);
    await expect(order).toContainText('已完成');
    await expect(order).toContainText(`由 ${son.name} 代为预约`);
    await order.getByRole('button', { name: '评价这次服务' }).click();
    const stars = order.getByRole('group', { name: new RegExp(`^给${MEAL}（.*）打分$`) });
    await expect(stars.getByRole('radio')).toHaveCount(5);
    await stars.getByRole('radio', { name: /^5星/ }).check();
    await order.getByRole('button', { name: '提交评价' }).click();
    await expect(page.getByRole('status').filter({ hasText: '谢谢您的评价！' })).toBeVisible();
    await expect(panel(page, MEAL_REGION)).toContainText('您的评价：5星');
    await expect(panel(page, MEAL_REGION).getByRole('button', { name: '评价这次服务' })).toHaveCount(0);
  });

  await test.step('And her messages told her each step, from the booking her son made to the completed meal', async () => {
    await page.goto('/messages');
    await expect(
      page.getByText(new RegExp(`^已为${mother.name}预约\\d{4}-\\d{2}-\\d{2}的${MEAL}（.*），等待服务商确认。$`)),
    ).toBeVisible();
    await expect(
      page.getByText(new RegExp(`^${mother.name}\\d{4}-\\d{2}-\\d{2}的${MEAL}已完成，欢迎评价这次服务。$`)),
    ).toBeVisible();
    await expect(page.getByText(`${mother.name}已委托${son.name}代为办理居家养老服务`, { exact: false })).toBeVisible();
  });

  await test.step('And her subsidy went down by exactly what it paid (¥10.00), the statement saying who booked', async () => {
    await mainNav(page).getByRole('link', { name: '居家养老' }).click();
    await expect(subsidyBalance(page)).toHaveText('¥90.00');
    const ledger = page.getByRole('table', { name: '补贴明细' });
    const payment = ledger.getByRole('row').filter({ hasText: MEAL });
    await expect(payment).toContainText('-¥10.00');
    await expect(payment).toContainText(`由 ${son.name} 代为办理`);
    await expect(payment).toContainText('¥90.00');
  });

  await test.step('And when she takes the permission back, her son can no longer act for her', async () => {
    await eldercareNav(page).getByRole('link', { name: '家人代办' }).click();
    await page.getByRole('button', { name: `取消对 ${son.name} 的委托` }).click();
    await expect(page.getByRole('status').filter({ hasText: '委托已取消。' })).toBeVisible();
    await expect(panel(page, '我委托的家人')).toContainText('已取消');
    await sonPage.reload();
    await expect(
      sonPage.getByRole('alert').filter({ hasText: '该委托已结束、过期或被撤销，无法继续代为办理。' }),
    ).toBeVisible();
    await expect(subsidyBalance(sonPage)).toHaveCount(0);
  });

  await sonPage.context().close();
  await provider.context().close();
});

test('two neighbours book the last place of a home visit at once: exactly one gets it, the other is told and sees the times refreshed', async ({
  page,
  browser,
}) => {
  const second = await openSecondBrowser(browser);
  await signInAsResident(page, PEOPLE.raceFirst.idNumber);
  await signInAsResident(second, PEOPLE.raceSecond.idNumber);
  await page.goto('/eldercare');
  await second.goto('/eldercare');
  await expect(subsidyBalance(page)).toBeVisible();
  await expect(subsidyBalance(second)).toBeVisible();

  const firstChoice = await chooseFirstTime(page, '探访', HOME_VISIT);
  const secondChoice = await chooseFirstTime(second, '探访', HOME_VISIT);
  expect(secondChoice).toBe(firstChoice);
  // The subsidy covers a home visit in full.
  await expect(page.getByTestId('confirm-self-pay')).toHaveText('¥0.00');

  await page.getByRole('button', { name: '确认预约' }).click();
  await expect(page.getByRole('status').filter({ hasText: '预约成功！' })).toBeVisible();

  await second.getByRole('button', { name: '确认预约' }).click();
  await expect(second.getByRole('alert')).toHaveText('这个时间刚刚被别人约走了。空闲时间已经刷新，请重新选择。');
  const times = second.getByRole('group', { name: '第一步：选择时间' });
  await expect(times.getByRole('radio').first()).toBeVisible();
  await expect(times.getByRole('radio', { name: firstChoice, exact: true })).toHaveCount(0);
  await expect(times.getByRole('radio', { checked: true })).toHaveCount(0);

  // Nothing was booked or paid for the second neighbour.
  await second.goto('/eldercare/orders');
  await expect(second.getByText('没有订单。')).toBeVisible();
  await second.goto('/eldercare');
  await expect(subsidyBalance(second)).toHaveText('¥100.00');
  await second.context().close();
});

test('counter staff with an elderly-care code book for a walk-in resident, who sees it and updates her emergency contacts', async ({
  page,
  browser,
}) => {
  const resident = PEOPLE.careWalkIn;
  const residentPage = await openSecondBrowser(browser);
  await signInAsResident(residentPage, resident.idNumber);
  const code = await createOneTimeCode(residentPage, { services: ['居家养老'] });

  await test.step('Staff enter the code and land on her care profile in assisted mode', async () => {
    await signInAsStaff(page, STAFF.counter.staffNumber);
    const authorizationId = await authorizeWithCode(page, resident.idNumber, code, 'eldercare');
    await expect(page.getByRole('heading', { name: `${resident.name}的养老信息`, level: 1 })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/assist/${authorizationId}/eldercare$`));
    // Delegations are the resident's own business: no 家人代办 and no 为谁办理 at the counter.
    await expect(eldercareNav(page).getByRole('link', { name: '家人代办' })).toHaveCount(0);
    await expect(actingForSwitch(page)).toHaveCount(0);
  });

  await test.step('And book her a meal', async () => {
    await chooseFirstTime(page, '助餐', MEAL);
    await page.getByRole('button', { name: '确认预约' }).click();
    await expect(page.getByRole('status').filter({ hasText: '预约成功！' })).toBeVisible();
  });

  await test.step('Then she sees the order, booked by the counter, and the look in her access log', async () => {
    await residentPage.goto('/eldercare/orders');
    await expect(panel(residentPage, MEAL_REGION)).toContainText(
      `由 ${STAFF.counter.center} 工作人员 ${STAFF.counter.name} 代为预约`,
    );
    await residentPage.goto('/access-log');
    await expect(accessLogTable(residentPage).getByRole('row').filter({ hasText: '代为预约上门服务' })).toHaveCount(1);
  });

  await test.step('And she adds an emergency contact: the phone is shown masked', async () => {
    await residentPage.goto('/eldercare');
    await residentPage.getByRole('link', { name: '修改基本情况和紧急联系人' }).click();
    await expect(residentPage.getByRole('heading', { name: '修改基本情况', level: 1 })).toBeVisible();
    await residentPage
      .getByRole('group', { name: '您现在和谁住在一起？' })
      .getByRole('radio', { name: '与子女同住' })
      .check();
    await residentPage.getByRole('button', { name: '添加一位紧急联系人' }).click();
    const contact = residentPage.getByRole('group', { name: '第1位紧急联系人' });
    await contact.getByLabel('姓名').fill('蔡晓东');
    await contact.getByLabel('和您的关系').fill('儿子');
    await contact.getByLabel('手机号码').fill('1380000333');
    await residentPage.getByRole('button', { name: '保存' }).click();
    // A number one digit short is refused beside the field, and nothing is saved.
    await expect(contact.getByText('请输入11位手机号码。')).toBeVisible();
    await expect(contact.getByLabel('手机号码')).toHaveAttribute('aria-invalid', 'true');
    await contact.getByLabel('手机号码').fill('13800003333');
    await residentPage.getByRole('button', { name: '保存' }).click();
    await expect(residentPage.getByRole('heading', { name: '我的养老', level: 1 })).toBeVisible();
    await expect(panel(residentPage, '基本情况')).toContainText('与子女同住');
    await expect(panel(residentPage, '基本情况')).toContainText('蔡晓东（儿子） 138****3333');
  });

  await residentPage.context().close();
});

test('an older resident asks for an ability assessment; the assessor scores it by GB/T 42195-2022 and the server sets the level and next month’s subsidy', async ({
  page,
  browser,
}) => {
  const resident = PEOPLE.assessed;
  const assessor = await openSecondBrowser(browser);

  await test.step('Given I (aged over 60, never assessed) ask for an assessment', async () => {
    await signInAsResident(page, resident.idNumber);
    await page.goto('/eldercare');
    await expect(panel(page, '能力评估')).toContainText('还没有做过能力评估。');
    await page.getByRole('button', { name: '申请能力评估' }).click();
    await expect(page.getByRole('status').filter({ hasText: '已提交评估申请' })).toBeVisible();
    await expect(panel(page, '能力评估')).toContainText('已申请能力评估');
    await expect(panel(page, '能力评估').getByRole('button', { name: '申请能力评估' })).toHaveCount(0);
  });

  await test.step('When the assessor opens my request (my name masked in the queue)', async () => {
    await signInAsStaff(assessor, STAFF.careAssessor.staffNumber);
    await expect(assessor).toHaveURL(/\/eldercare\/assessments$/);
    await assessor.getByRole('link', { name: `开始评估：${maskName(resident.name)}` }).click();
    await expect(assessor.getByRole('heading', { name: '记录能力评估', level: 1 })).toBeVisible();
    await expect(panel(assessor, '被评估老人')).toContainText(resident.name);
    for (const indicator of ['自理能力', '基础运动能力', '精神状态', '感知觉与社会参与'])
      await expect(panel(assessor, indicator)).toBeVisible();
  });

  await test.step('And scores every item, one out of its range first: it is refused beside the item', async () => {
    const items = assessor.getByRole('textbox', { name: /（0–\d分）$/ });
    await expect(items).toHaveCount(26);
    for (const item of await items.all()) {
      const label = (await item.evaluate((input) => (input as HTMLInputElement).labels?.[0]?.textContent ?? '')).trim();
      await item.fill(/（0–(\d)分）$/.exec(label)![1]!);
    }
    const eating = assessor.getByRole('textbox', { name: 'B1.1 进食（0–4分）' });
    await eating.fill('9');
    await assessor.getByRole('button', { name: '提交评估' }).click();
    await expect(assessor.getByRole('alert')).toHaveText('有评分未填或超出范围，请检查标红的项目。');
    await expect(eating).toHaveAttribute('aria-invalid', 'true');
    // Self-care items at 0, the rest at their best: 90 − 32 = 58 points.
    for (const item of await panel(assessor, '自理能力').getByRole('textbox').all()) await item.fill('0');
    await expect(assessor.getByText('总分 58 / 90')).toBeVisible();
    await expect(assessor.getByText('按总分预估等级：中度受损（以系统记录结果为准）')).toBeVisible();
  });

  await test.step('Then the recorded level is the server’s: 中度受损, the subsidy following it from next month', async () => {
    await assessor.getByRole('button', { name: '提交评估' }).click();
    await expect(
      assessor
        .getByRole('status')
        .filter({ hasText: /^评估已记录：总分 58，等级“中度受损”，补贴从 \d{4}\/\d{2}\/01 起按新等级发放。$/ }),
    ).toBeVisible();
    await assessor.getByRole('link', { name: '返回申请列表' }).click();
    await expect(assessor.getByRole('link', { name: `开始评估：${maskName(resident.name)}` })).toHaveCount(0);
  });

  await test.step('And I see my new level and next month’s allowance of ¥200.00', async () => {
    await page.reload();
    await expect(panel(page, '能力评估')).toContainText('中度受损');
    await expect(panel(page, '能力评估')).toContainText(/新等级从 \d{4}\/\d{2}\/01 起生效。/);
    await expect(panel(page, '养老服务补贴')).toContainText(/下月补贴（\d{4}年\d{1,2}月）\s*¥200\.00/);
    await expect(panel(page, '能力评估').getByRole('button', { name: '申请能力评估' })).toBeVisible();
  });

  await assessor.context().close();
});

test('booking works with the keyboard alone: the times are one radio group, each step puts focus on its heading', async ({
  page,
}) => {
  await signInAsResident(page, PEOPLE.keyboardBooker.idNumber);
  await page.goto('/eldercare/services?kind=MEAL');
  const book = page.getByRole('link', { name: new RegExp(`^预约${MEAL}（`) });
  await book.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: '预约服务', level: 1 })).toBeVisible();

  const times = page.getByRole('group', { name: '第一步：选择时间' }).getByRole('radio');
  // Tab from the top of the page reaches the first time after the header and the sections.
  for (
    let presses = 0;
    presses < 40 && !(await times.first().evaluate((radio) => radio === document.activeElement));
    presses += 1
  ) {
    await page.keyboard.press('Tab');
  }
  await expect(times.first()).toBeFocused();
  await page.keyboard.press('Space');
  await expect(times.first()).toBeChecked();
  await page.keyboard.press('ArrowDown');
  await expect(times.nth(1)).toBeChecked();
  const chosen = (await times.nth(1).evaluate((input) => input.closest('label')?.textContent ?? '')).trim();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('给服务人员的留言（可不填）')).toBeFocused();
  await page.keyboard.type('请敲门大声些');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: '下一步' })).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: '预约服务', level: 1 })).toBeFocused();
  await expect(panel(page, '第二步：确认预约')).toContainText(chosen.split(' · ')[0]!);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: '确认预约' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: '预约成功！' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '预约服务', level: 1 })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: '查看我的订单' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(panel(page, MEAL_REGION)).toContainText('已预约，等待服务商确认');
});
