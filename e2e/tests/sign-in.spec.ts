import { expect, test } from '@playwright/test';
import { computeCheckCharacter } from '@portal/identity';
import { PEOPLE } from '../support/people';

// Only one wrong password in the whole suite: failures from one address slow and then lock sign-ins.
test('a wrong password is refused and the resident stays on the sign-in page', async ({ page }) => {
  await test.step('When I sign in with my ID number and a wrong password', async () => {
    await page.goto('/sign-in');
    await page.getByRole('radio', { name: '居民登录' }).check();
    await page.getByLabel('身份证号码').fill(PEOPLE.reader.idNumber);
    await page.getByLabel('密码').fill('Wrong-password-1');
    await page.getByRole('button', { name: '登录' }).click();
  });

  await test.step('Then I am told the account or password is wrong', async () => {
    await expect(page.getByRole('alert')).toHaveText('账号或密码错误。');
  });

  await test.step('And I am still on the sign-in page, not signed in', async () => {
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^用户菜单/ })).toHaveCount(0);
  });
});

test('an ID number with a wrong check digit is caught on the field', async ({ page }) => {
  const good = PEOPLE.reader.idNumber;
  const wrongCheck = computeCheckCharacter(good.slice(0, 17)) === '1' ? '2' : '1';
  const mistyped = `${good.slice(0, 17)}${wrongCheck}`;

  await test.step('When I type an ID number whose last character does not match and press 登录', async () => {
    await page.goto('/sign-in');
    await page.getByLabel('身份证号码').fill(mistyped);
    await page.getByLabel('密码').fill('Shanwei@2026');
    await page.getByRole('button', { name: '登录' }).click();
  });

  await test.step('Then the ID number field says its check digit is wrong', async () => {
    const field = page.getByLabel('身份证号码');
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(/身份证号码校验位不正确，请核对。/);
    await expect(page.getByText('身份证号码校验位不正确，请核对。')).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in$/);
  });
});
