/** On-screen masks for sensitive personal information (DOMAIN.md, 个人信息保护). */

/** 441502199001011234 -> 4415**********123X style: area prefix and last four stay. */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length < 8) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 4)}${'*'.repeat(idNumber.length - 8)}${idNumber.slice(-4)}`;
}

/** 13812345678 -> 138****5678 */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** A card number shows its last four only: ********1234 */
export function maskCardNumber(cardNumber: string): string {
  return `${'*'.repeat(Math.max(cardNumber.length - 4, 0))}${cardNumber.slice(-4)}`;
}

/** 张三丰 -> 张** ; names are shown in full only to the resident and authorized staff. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}

export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
