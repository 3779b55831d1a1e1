import { expect, type Page } from '@playwright/test';
import { PASSWORD } from './people';

/** Small page helpers that find controls as a screen reader would: by role and accessible name. */

export async function signInAsResident(page: Page, idNumber: string, password = PASSWORD) {
  await page.goto('/sign-in');
  await page.getByRole('radio', { name: '居民登录' }).check();
  await page.getByLabel('身份证号码').fill(idNumber);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('button', { name: /^用户菜单/ })).toBeVisible();
}

export async function signInAsStaff(page: Page, staffNumber: string, password = PASSWORD) {
  await page.goto('/sign-in');
  await page.getByRole('radio', { name: '工作人员登录' }).check();
  await page.getByLabel('工号').fill(staffNumber);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('button', { name: /^用户菜单/ })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: /^用户菜单/ }).click();
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
}
