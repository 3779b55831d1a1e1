import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { BASE_URL, E2E_DATA_DIR, PEOPLE } from '../support/people';
import { eCard, mainNav, openCardFromNav, openSecondBrowser, signInAsResident } from '../support/portal';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CARD_ENTRY = '**/apps/card/**/card.js';

test('a card app that fails to load leaves the portal working and can be reloaded', async ({ page }) => {
  await test.step('Given the card app entry module cannot be fetched (the server answers 500)', async () => {
    await page.route(CARD_ENTRY, (route) => route.fulfill({ status: 500, contentType: 'text/plain', body: 'broken' }));
    await signInAsResident(page, PEOPLE.reader.idNumber);
  });

  await test.step('When I open the social security card', async () => {
    await mainNav(page).getByRole('link', { name: '社会保障卡' }).click();
  });

  await test.step('Then the portal says the card cannot be opened right now and offers 重新加载', async () => {
    await expect(page.getByRole('alert')).toContainText('“社会保障卡”暂时无法打开。门户的其他功能不受影响。');
    await expect(page.getByRole('button', { name: '重新加载' })).toBeVisible();
    await expect(eCard(page)).toHaveCount(0);
  });

  await test.step('And the header navigation still works', async () => {
    await mainNav(page).getByRole('link', { name: '谁查看了我的信息' }).click();
    await expect(page.getByRole('heading', { name: '谁查看了我的信息', level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: '重新加载' })).toHaveCount(0);
    await mainNav(page).getByRole('link', { name: '社会保障卡' }).click();
    await expect(page.getByRole('button', { name: '重新加载' })).toBeVisible();
  });

  await test.step('When the server is healthy again and I press 重新加载', async () => {
    await page.unroute(CARD_ENTRY);
    await page.getByRole('button', { name: '重新加载' }).click();
  });

  await test.step('Then the card page shows and the error is gone', async () => {
    await expect(page.getByRole('heading', { name: '电子社保卡', exact: true })).toBeVisible();
    await expect(eCard(page)).toContainText(PEOPLE.reader.name);
    await expect(page.getByRole('button', { name: '重新加载' })).toHaveCount(0);
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
});

test('a card app that failed once opens on a later visit, without the old error', async ({ page }) => {
  // The page's clock, so that "a moment later" can be said without waiting (single-spa fetches a failed app again only after 200 ms).
  await page.clock.install();

  await test.step('Given the card app failed to load on my first visit', async () => {
    await page.route(CARD_ENTRY, (route) => route.fulfill({ status: 500, contentType: 'text/plain', body: 'broken' }));
    await signInAsResident(page, PEOPLE.reader.idNumber);
    await mainNav(page).getByRole('link', { name: '社会保障卡' }).click();
    await expect(page.getByRole('button', { name: '重新加载' })).toBeVisible();
    await mainNav(page).getByRole('link', { name: '谁查看了我的信息' }).click();
    await expect(page.getByRole('heading', { name: '谁查看了我的信息', level: 1 })).toBeVisible();
  });

  await test.step('When, a moment later, the server is healthy again and I open the card from the header', async () => {
    await page.unroute(CARD_ENTRY);
    await page.clock.fastForward(1000);
    await mainNav(page).getByRole('link', { name: '社会保障卡' }).click();
  });

  await test.step('Then the card page shows, with no error panel beside it', async () => {
    await expect(eCard(page)).toContainText(PEOPLE.reader.name);
    await expect(page.getByRole('button', { name: '重新加载' })).toHaveCount(0);
    await expect(page.getByText('暂时无法打开')).toHaveCount(0);
  });
});

/** What the page was built from: the shell's entry script and the import map's line for the card app. */
async function pageBuild(page: Page) {
  return page.evaluate(() => {
    const shellScript =
      document.querySelector<HTMLScriptElement>('script[type="module"][src]')?.getAttribute('src') ?? null;
    const map = JSON.parse(document.querySelector('script[type="importmap"]')?.textContent ?? '{}') as {
      imports?: Record<string, string>;
    };
    return { shellScript, cardEntry: map.imports?.['@portal/app-card'] ?? null };
  });
}

/** The shell's asset names written into index.html, as the server sends it. */
async function shellAssets(page: Page): Promise<string[]> {
  const html = await (await page.request.get('/')).text();
  return [...html.matchAll(/\/shell\/assets\/[^"'\s>]+/g)].map((match) => match[0]).sort();
}

function cardVersion(page: Page) {
  return page.getByText(/^社保卡应用 · 版本 \S+$/);
}

function deployCard(label?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, PORTAL_STATIC_DIR: path.join(E2E_DATA_DIR, 'www') };
  if (label) env.PORTAL_BUILD_LABEL = label;
  else delete env.PORTAL_BUILD_LABEL;
  return execFileSync(process.execPath, ['scripts/portal.mjs', 'deploy-app', 'card'], {
    cwd: REPO_ROOT,
    env,
    timeout: 180_000,
    encoding: 'utf8',
    stdio: 'pipe',
  });
}

test.describe('deploying a new card build', () => {
  // Leave the repository's card build as it was: built again without the test's label.
  test.afterAll(() => {
    deployCard();
  });

  test('a new card build appears on reload without rebuilding the shell', async ({ page }) => {
    test.setTimeout(180_000);
    const label = `e2e-${randomBytes(4).toString('hex')}`;
    let before: Awaited<ReturnType<typeof pageBuild>>;
    let assetsBefore: string[] = [];
    let versionBefore = '';

    await test.step('Given I have the card page open', async () => {
      await signInAsResident(page, PEOPLE.reader.idNumber);
      await openCardFromNav(page);
      versionBefore = (await cardVersion(page).textContent()) ?? '';
      before = await pageBuild(page);
      assetsBefore = await shellAssets(page);
      expect(before.shellScript).toMatch(/^\/shell\/assets\/.+\.js$/);
      expect(before.cardEntry).toMatch(/^\/apps\/card\/[^/]+\/card\.js$/);
      expect(versionBefore).toContain(before.cardEntry!.split('/')[3]!);
      expect(assetsBefore.length).toBeGreaterThan(0);
    });

    await test.step('When the card app alone is deployed with the documented command', async () => {
      const output = deployCard(label);
      expect(output).toContain('Published card');
    });

    await test.step('Then after a reload the footer shows the new version and the import map points at it', async () => {
      await page.reload();
      await expect(eCard(page)).toContainText(PEOPLE.reader.name);
      const after = await pageBuild(page);
      expect(after.cardEntry).toMatch(/^\/apps\/card\/[^/]+\/card\.js$/);
      expect(after.cardEntry).not.toBe(before.cardEntry);
      const newVersion = after.cardEntry!.split('/')[3]!;
      await expect(cardVersion(page)).toHaveText(`社保卡应用 · 版本 ${newVersion}`);
      await expect(cardVersion(page)).not.toHaveText(versionBefore);
    });

    await test.step('And the card’s texts that the shell shows (messages, access-log actions) were published beside it', async () => {
      const folder = (await pageBuild(page)).cardEntry!.replace(/card\.js$/, '');
      for (const locale of ['zh-CN', 'en']) {
        const response = await page.request.get(`${folder}texts/${locale}.json`);
        expect(response.status()).toBe(200);
        const catalogue = (await response.json()) as {
          inbox: { topics: { card: { replacement: Record<string, string> } } };
        };
        expect(catalogue.inbox.topics.card.replacement.SUBMITTED).toContain('{center}');
      }
    });

    await test.step('And the shell was not rebuilt: same script URL, same asset names in index.html', async () => {
      const after = await pageBuild(page);
      expect(after.shellScript).toBe(before.shellScript);
      expect(await shellAssets(page)).toEqual(assetsBefore);
    });
  });
});

test('vue, vue-router and pinia are fetched once while I move around the portal', async ({ page }) => {
  const counts: Record<'vue' | 'vue-router' | 'pinia', number> = { vue: 0, 'vue-router': 0, pinia: 0 };
  page.on('response', (response) => {
    const pathname = new URL(response.url()).pathname;
    for (const library of Object.keys(counts) as (keyof typeof counts)[]) {
      if (pathname.startsWith(`/shared/${library}/`)) counts[library] += 1;
    }
  });

  await test.step('When I sign in and open home, the card, contributions, the access log, and go back', async () => {
    await signInAsResident(page, PEOPLE.reader.idNumber);
    await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
    await expect(page.getByRole('heading', { name: `您好，${PEOPLE.reader.name}` })).toBeVisible();
    await openCardFromNav(page);
    await page.getByRole('navigation', { name: '社保卡功能' }).getByRole('link', { name: '缴费记录' }).click();
    await expect(page.getByRole('heading', { name: '社保缴费记录' })).toBeVisible();
    await mainNav(page).getByRole('link', { name: '谁查看了我的信息' }).click();
    await expect(page.getByRole('heading', { name: '谁查看了我的信息', level: 1 })).toBeVisible();
    await page.goBack();
    await expect(page.getByRole('heading', { name: '社保缴费记录' })).toBeVisible();
    await page.goBack();
    await expect(eCard(page)).toBeVisible();
    await mainNav(page).getByRole('link', { name: '首页' }).click();
    await expect(page.getByRole('heading', { name: `您好，${PEOPLE.reader.name}` })).toBeVisible();
  });

  await test.step('Then it all happened in one page load, and each library was fetched exactly once', async () => {
    expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
    expect(counts).toEqual({ vue: 1, 'vue-router': 1, pinia: 1 });
  });
});

test('the card stylesheet is there only while the card is, and does not restyle the shell', async ({ page }) => {
  const cardStylesheet = page.locator('link[rel="stylesheet"][href*="/apps/card/"]');
  /** Computed styles of a few shell elements: the header, a header link, the main area, the body. */
  const shellStyles = () =>
    page.evaluate(() => {
      const pick = (element: Element | null, properties: string[]) => {
        if (!element) return null;
        const style = getComputedStyle(element);
        return Object.fromEntries(properties.map((property) => [property, style.getPropertyValue(property)]));
      };
      const boxAndText = [
        'color',
        'background-color',
        'font-family',
        'font-size',
        'font-weight',
        'padding',
        'margin',
        'border',
        'display',
        'line-height',
      ];
      return {
        body: pick(document.body, boxAndText),
        header: pick(document.querySelector('header'), boxAndText),
        homeLink: pick(document.querySelector('header nav a[href="/"]'), boxAndText),
        main: pick(document.querySelector('main'), [...boxAndText, 'max-width']),
      };
    });
  let beforeCard: Awaited<ReturnType<typeof shellStyles>>;

  await test.step('Given I am on a shell page (who viewed my data) with no card stylesheet', async () => {
    await signInAsResident(page, PEOPLE.reader.idNumber);
    await mainNav(page).getByRole('link', { name: '谁查看了我的信息' }).click();
    await expect(page.getByRole('heading', { name: '谁查看了我的信息', level: 1 })).toBeVisible();
    await expect(cardStylesheet).toHaveCount(0);
    beforeCard = await shellStyles();
    expect(beforeCard.homeLink).not.toBeNull();
  });

  await test.step('When I open the card, its stylesheet is linked and styles the card', async () => {
    await openCardFromNav(page);
    await expect(cardStylesheet).toHaveCount(1);
    await expect(eCard(page)).toHaveCSS('background-image', /linear-gradient/);
  });

  await test.step('And the shell header, links and main area look exactly as before', async () => {
    expect(await shellStyles()).toEqual(beforeCard);
  });

  await test.step('When I go back to the access log, the card stylesheet is gone', async () => {
    await mainNav(page).getByRole('link', { name: '谁查看了我的信息' }).click();
    await expect(page.getByRole('heading', { name: '谁查看了我的信息', level: 1 })).toBeVisible();
    await expect(cardStylesheet).toHaveCount(0);
    expect(await shellStyles()).toEqual(beforeCard);
  });
});

test('a first visit to the card page downloads at most 150 KiB of scripts and styles', async ({ browser }) => {
  const BUDGET_BYTES = 150 * 1024;
  let storageState: Awaited<ReturnType<BrowserContext['storageState']>>;

  await test.step('Given I signed in once (only the session cookie is kept)', async () => {
    const signInPage = await openSecondBrowser(browser);
    await signInAsResident(signInPage, PEOPLE.reader.idNumber);
    storageState = await signInPage.context().storageState();
    await signInPage.context().close();
  });

  await test.step('When a browser with an empty cache opens /card', async () => {
    const context = await browser.newContext({ baseURL: BASE_URL, locale: 'zh-CN', storageState });
    const page = await context.newPage();
    const measured: Promise<{ url: string; bytes: number; encoding: string | null }>[] = [];
    page.on('response', (response) => {
      const type = response.request().resourceType();
      if (type !== 'script' && type !== 'stylesheet') return;
      measured.push(
        (async () => ({
          url: response.url(),
          bytes: (await response.request().sizes()).responseBodySize,
          encoding: await response.headerValue('content-encoding'),
        }))(),
      );
    });
    await page.goto('/card');
    await expect(eCard(page)).toContainText(PEOPLE.reader.name);
    await expect(page.getByRole('img', { name: /^电子社保卡二维码/ })).toBeVisible();
    // Every script and style the page asked for has been answered once the count stops growing.
    let answered = -1;
    await expect
      .poll(
        () => {
          const settled = measured.length === answered;
          answered = measured.length;
          return settled;
        },
        { intervals: [500] },
      )
      .toBe(true);
    const files = await Promise.all(measured);
    const total = files.reduce((sum, file) => sum + file.bytes, 0);
    console.log(`CARD_FIRST_VISIT_BYTES=${total}`);
    for (const file of files)
      console.log(`  ${String(file.bytes).padStart(7)} ${file.encoding ?? 'identity'} ${new URL(file.url).pathname}`);

    await test.step('Then the scripts and styles, compressed as sent, fit in the budget', async () => {
      expect(files.some((file) => /\/apps\/card\/[^/]+\/card\.js$/.test(file.url))).toBe(true);
      expect(files.some((file) => /\/shared\/vue\//.test(file.url))).toBe(true);
      expect(files.find((file) => /\/apps\/card\/[^/]+\/card\.js$/.test(file.url))?.encoding).toBe('gzip');
      expect(total).toBeGreaterThan(0);
      expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
    });

    await context.close();
  });
});
