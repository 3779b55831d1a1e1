import { expect, test } from '@playwright/test';
import { PEOPLE } from '../support/people';
import { signInAsResident, signOut } from '../support/portal';

test('a resident reports the card lost, still sees it after a reload, and signs out', async ({ page }) => {
  await test.step('When I sign in and open my social security card', async () => {
    await signInAsResident(page, PEOPLE.lossReporter.idNumber);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '社会保障卡' }).click();
    await expect(page.getByRole('heading', { name: '电子社保卡', exact: true })).toBeVisible();
    await expect(
      page.getByRole('region', { name: '电子社保卡', exact: true }).getByText(/^4415\*{10}\d{3}[0-9X]$/),
    ).toBeVisible();
  });

  await test.step('And I report it lost', async () => {
    await page.getByRole('button', { name: '挂失社保卡' }).click();
    await page.getByRole('button', { name: '确认挂失' }).click();
    await expect(page.getByRole('status').filter({ hasText: '挂失成功' })).toBeVisible();
  });

  await test.step('Then after a reload the card is still reported lost', async () => {
    await page.reload();
    await expect(page.getByText('已挂失').first()).toBeVisible();
    await expect(page.getByRole('button', { name: '挂失社保卡' })).toHaveCount(0);
  });

  await test.step('And I can sign out', async () => {
    await signOut(page);
    await page.goto('/card');
    await expect(page).toHaveURL(/\/sign-in\?next=(%2F|\/)card$/);
  });
});
