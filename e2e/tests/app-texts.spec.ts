import { expect, test, type Browser, type Page } from '@playwright/test';
import { PEOPLE, STAFF } from '../support/people';
import {
  accessLogTable,
  authorizeWithCode,
  createOneTimeCode,
  mainNav,
  openCardFromNav,
  openSecondBrowser,
  signInAsResident,
  signInAsStaff,
} from '../support/portal';

/**
 * The texts the shell shows for a service (its messages, its access-log
 * actions, the home page's card activity) are the service's app's own: each
 * app's build publishes them beside its bundle (apps/<app>/<version>/texts/<locale>.json),
 * and the shell fetches them when it first shows one, in the current language only.
 */
const CATALOGUE = /\/apps\/([^/]+)\/[^/]+\/texts\/([^/]+)\.json$/;

/** The text catalogues the page asks for, as "card zh-CN". */
function watchCatalogues(page: Page): string[] {
  const requested: string[] = [];
  page.on('request', (request) => {
    const match = CATALOGUE.exec(new URL(request.url()).pathname);
    if (match) requested.push(`${match[1]} ${match[2]}`);
  });
  return requested;
}

/** A message about my card (a replacement I applied for) and a counter visit that looked at my card. */
async function givenAMessageAndACounterVisit(
  page: Page,
  browser: Browser,
  idNumber: string,
  afterCardPages: () => void = () => undefined,
) {
  await signInAsResident(page, idNumber);
  await openCardFromNav(page);
  await page.getByRole('navigation', { name: '社保卡功能' }).getByRole('link', { name: '补换卡' }).click();
  await page.getByRole('radio', { name: '损坏换卡' }).check();
  await page.getByLabel('领卡网点').selectOption({ label: STAFF.counter.center });
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByRole('status').filter({ hasText: '申请已提交' })).toBeVisible();
  afterCardPages();
  await mainNav(page).getByRole('link', { name: '首页' }).click();
  const code = await createOneTimeCode(page);
  const counter = await openSecondBrowser(browser);
  await signInAsStaff(counter, STAFF.counter.staffNumber);
  await authorizeWithCode(counter, idNumber, code);
  await expect(counter.getByRole('heading', { name: '电子社保卡', exact: true })).toBeVisible();
  await counter.context().close();
}

const SUBMITTED_ZH = `您的社保卡补换申请已提交，新卡制作完成后将送到${STAFF.counter.center}。`;
const SUBMITTED_EN = `Your application for a replacement social security card has been submitted. The new card will be sent to ${STAFF.counter.center} once it is made.`;

test('messages, access-log actions and card activity come from the card app’s texts, in the language I read', async ({
  page,
  browser,
}) => {
  const requested = watchCatalogues(page);

  let onCardPages: string[] = [];

  await test.step('Given I applied for a card replacement and the counter looked at my card', async () => {
    await givenAMessageAndACounterVisit(
      page,
      browser,
      PEOPLE.textReader.idNumber,
      () => (onCardPages = [...requested]),
    );
  });

  await test.step('Then the sign-in and the card pages fetched no texts catalogue; the home page fetched the card’s Chinese one', async () => {
    expect(onCardPages).toEqual([]);
    expect(requested).toEqual(['card zh-CN']);
  });

  await test.step('When I open the message center, my message is the card app’s Chinese text, fetched no second time', async () => {
    await page.getByRole('banner').getByRole('link', { name: /^消息/ }).click();
    await expect(page.getByRole('main').getByRole('listitem').filter({ hasText: SUBMITTED_ZH })).toHaveCount(1);
    expect(requested).toEqual(['card zh-CN']);
  });

  await test.step('When I switch to English, the message is in English, from the card’s English texts', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('main').getByRole('listitem').filter({ hasText: SUBMITTED_EN })).toHaveCount(1);
    expect(requested).toEqual(['card zh-CN', 'card en']);
  });

  await test.step('And the access log names the card’s actions and the counter’s in English', async () => {
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Who viewed my data' })
      .click();
    const log = page.getByRole('table', { name: 'Who viewed my data' });
    await expect(log.getByRole('row').filter({ hasText: 'Viewed your e-card' }).first()).toContainText(
      STAFF.counter.name,
    );
    await expect(log.getByRole('row').filter({ hasText: 'Started helping you (authorized)' }).first()).toContainText(
      STAFF.counter.name,
    );
  });

  await test.step('And the home page’s activity is in English', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Home' }).click();
    await expect(page.getByRole('main').getByText('Replacement requested')).toBeVisible();
  });

  await test.step('When I switch back to 中文, the texts are Chinese again without fetching anything more', async () => {
    const before = requested.length;
    await page.getByRole('button', { name: '中文' }).click();
    await expect(page.getByRole('main').getByText('提交补换卡申请')).toBeVisible();
    await expect(accessLogTable(page).getByRole('row').filter({ hasText: '查看电子社保卡' }).first()).toBeVisible();
    expect(requested).toHaveLength(before);
    expect(requested).toEqual(['card zh-CN', 'card en']);
  });
});

test('when the card app’s texts cannot be fetched, the shell shows generic texts and the rest of the portal works', async ({
  page,
  browser,
}) => {
  await page.route(`**/apps/card/*/texts/*.json`, (route) =>
    route.fulfill({ status: 500, contentType: 'text/plain', body: 'broken' }),
  );

  await test.step('Given I applied for a card replacement and the counter looked at my card', async () => {
    await givenAMessageAndACounterVisit(page, browser, PEOPLE.textFallback.idNumber);
  });

  await test.step('Then the home page shows my activity with a generic name', async () => {
    await expect(page.getByRole('main').getByText('社保卡办理记录')).toBeVisible();
  });

  await test.step('And the message center says I have a message, with its link to the card', async () => {
    await page.getByRole('banner').getByRole('link', { name: /^消息/ }).click();
    const item = page.getByRole('main').getByRole('listitem').filter({ hasText: '您有一条新消息。' });
    await expect(item).toHaveCount(1);
    await expect(item.getByRole('link', { name: '查看' })).toHaveAttribute('href', '/card/replacement');
  });

  await test.step('And the access log names the card’s action by its key, and the counter’s own action in Chinese', async () => {
    await mainNav(page).getByRole('link', { name: '谁查看了我的信息' }).click();
    await expect(accessLogTable(page).getByRole('row').filter({ hasText: 'card.summary' }).first()).toContainText(
      STAFF.counter.name,
    );
    await expect(
      accessLogTable(page).getByRole('row').filter({ hasText: '开始代办（获得授权）' }).first(),
    ).toContainText(STAFF.counter.name);
  });
});
