import { expect, test, type Page } from '@playwright/test';
import { PEOPLE, STAFF } from '../support/people';
import {
  inboxLink,
  masked,
  openCardFromNav,
  openSecondBrowser,
  signInAsResident,
  signInAsStaff,
} from '../support/portal';

const SUBMITTED = `您的社保卡补换申请已提交，新卡制作完成后将送到${STAFF.counter.center}。`;
const IN_PRODUCTION = '您的新社保卡正在制作中。';
const READY = `您的新社保卡已送达${STAFF.counter.center}`;

/** The messages listed in the message center. */
function messageList(page: Page) {
  return page.getByRole('main').getByRole('listitem');
}

/** One message in the message center, found by its text. */
function message(page: Page, text: string) {
  return messageList(page).filter({ hasText: text });
}

test('a resident follows a card replacement in the message center and marks messages read', async ({
  page,
  browser,
}) => {
  const resident = PEOPLE.messageReader;
  const id = masked(resident.idNumber);

  await test.step('Given I am signed in and have no unread messages', async () => {
    await signInAsResident(page, resident.idNumber);
    await expect(inboxLink(page)).toHaveAccessibleName('消息');
  });

  await test.step('When I apply for a replacement of my damaged card, to be picked up at my center', async () => {
    await openCardFromNav(page);
    await page.getByRole('navigation', { name: '社保卡功能' }).getByRole('link', { name: '补换卡' }).click();
    await expect(page.getByRole('heading', { name: '补换社保卡' })).toBeVisible();
    await page.getByRole('radio', { name: '损坏换卡' }).check();
    await page.getByLabel('领卡网点').selectOption({ label: STAFF.counter.center });
    await page.getByRole('button', { name: '提交申请' }).click();
    await expect(page.getByRole('status').filter({ hasText: '申请已提交' })).toBeVisible();
  });

  await test.step('Then the header counts one unread message at once, and the message center shows it', async () => {
    // Still on the card app's page: the shell heard of the change without a navigation.
    await expect(inboxLink(page)).toHaveAccessibleName('消息，1条未读');
    await inboxLink(page).click();
    await expect(page).toHaveURL(/\/messages$/);
    await expect(page.getByRole('heading', { name: '消息中心', level: 1 })).toBeVisible();
    await expect(messageList(page)).toHaveCount(1);
    await expect(message(page, SUBMITTED)).toContainText('未读');
  });

  await test.step('When the card office starts production and then marks the card ready', async () => {
    const office = await openSecondBrowser(browser);
    await signInAsStaff(office, STAFF.cardOffice.staffNumber);
    await expect(office).toHaveURL(/\/card\/office$/);
    const row = office.getByRole('row').filter({ hasText: id });
    await row.getByRole('button', { name: `为${id}开始制卡` }).click();
    await expect(row).toContainText('制卡中');
    await row.getByRole('button', { name: `制卡完成，送达网点：${id}` }).click();
    await expect(office.getByRole('row').filter({ hasText: id })).toHaveCount(0);
    await office.context().close();
  });

  await test.step('Then after a reload I have three unread messages, newest first, the last naming my pickup center', async () => {
    await page.reload();
    await expect(inboxLink(page)).toHaveAccessibleName('消息，3条未读');
    await expect(messageList(page)).toHaveCount(3);
    await expect(messageList(page).first()).toContainText(READY);
    await expect(messageList(page).first()).toContainText('请携带身份证前往领取');
    await expect(messageList(page).nth(1)).toContainText(IN_PRODUCTION);
    await expect(messageList(page).nth(2)).toContainText(SUBMITTED);
  });

  await test.step('When I mark the production message read, the count goes down by one', async () => {
    await page.getByRole('button', { name: `标为已读：${IN_PRODUCTION}`, exact: true }).click();
    await expect(inboxLink(page)).toHaveAccessibleName('消息，2条未读');
    await expect(message(page, IN_PRODUCTION)).not.toContainText('未读');
    await expect(message(page, IN_PRODUCTION).getByRole('button', { name: /^标为已读/ })).toHaveCount(0);
    await expect(message(page, READY)).toContainText('未读');
  });

  await test.step('When I mark all read, nothing is unread and the link is plain 消息 again', async () => {
    await page.getByRole('button', { name: '全部标为已读', exact: true }).click();
    await expect(inboxLink(page)).toHaveAccessibleName('消息');
    await expect(page.getByRole('button', { name: /标为已读/ })).toHaveCount(0);
    for (const text of [READY, IN_PRODUCTION, SUBMITTED]) await expect(message(page, text)).not.toContainText('未读');
  });

  await test.step('And after a reload they are still read', async () => {
    await page.reload();
    await expect(page.getByRole('heading', { name: '消息中心', level: 1 })).toBeVisible();
    await expect(messageList(page)).toHaveCount(3);
    await expect(inboxLink(page)).toHaveAccessibleName('消息');
  });

  await test.step("When I open the ready message's 查看 link, the card app shows my replacement", async () => {
    await message(page, READY).getByRole('link', { name: '查看' }).click();
    await expect(page).toHaveURL(/\/card\/replacement$/);
    await expect(page.getByRole('heading', { name: '补换社保卡' })).toBeVisible();
    await expect(page.getByRole('region', { name: '补换卡进度' })).toContainText('待领取');
  });
});
