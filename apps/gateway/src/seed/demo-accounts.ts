import { composeIdNumber } from '@portal/identity';

/**
 * Sign-ins printed by `npm start` and used by the browser tests. Every demo
 * account has this password (stored as a real argon2id hash).
 */
export const DEMO_PASSWORD = 'Shanwei@2026';

export const DEMO_RESIDENTS = [
  {
    key: 'worker',
    name: '林志强',
    idNumber: composeIdNumber('441502', '1985-03-12', 351),
    areaCode: '441502',
    phone: '13826601234',
    note: '在职职工，五险缴费记录；家有两个孩子',
    household: 'lin',
    relation: 'HEAD',
    health: { encounters: 6 },
  },
  {
    key: 'elder',
    name: '陈秀英',
    idNumber: composeIdNumber('441581', '1948-09-20', 262),
    areaCode: '441581',
    phone: null,
    note: '退休老人，养老金与低保，无手机；高血压、糖尿病随访',
    health: { chronic: ['HYPERTENSION', 'TYPE2_DIABETES'] },
  },
  { key: 'replacing', name: '黄丽华', idNumber: composeIdNumber('441521', '1990-06-08', 184), areaCode: '441521', phone: '13902345678', note: '社保卡已挂失，补卡制作中' },
  { key: 'second', name: '张伟', idNumber: composeIdNumber('441523', '1978-11-30', 417), areaCode: '441523', phone: '13712349876', note: '在职职工' },
] as const;

/** 林志强's family: his wife and two children (the younger one is a vaccine dose behind). */
export const DEMO_HOUSEHOLD_MEMBERS = [
  { name: '陈美玲', idNumber: composeIdNumber('441502', '1987-08-21', 244), areaCode: '441502', phone: '13826605678', employed: true, minimumLiving: false, household: 'lin', relation: 'SPOUSE' },
  { name: '林梓涵', idNumber: composeIdNumber('441502', '2020-05-16', 22), areaCode: '441502', phone: null, employed: false, minimumLiving: false, household: 'lin', relation: 'CHILD', health: { missLatestDose: false } },
  { name: '林子轩', idNumber: composeIdNumber('441502', '2025-09-10', 31), areaCode: '441502', phone: null, employed: false, minimumLiving: false, household: 'lin', relation: 'CHILD', health: { missLatestDose: true } },
] as const;

export const DEMO_STAFF = [
  { key: 'counter', staffNumber: 'SW1001', name: '王芳', role: 'COUNTER', centerCode: 'SC441502001', note: '香洲街道社区综合服务中心' },
  { key: 'counter2', staffNumber: 'SW1002', name: '李明', role: 'COUNTER', centerCode: 'SC441581001', note: '东海街道社区综合服务中心' },
  { key: 'cardOffice', staffNumber: 'SK2001', name: '刘洋', role: 'CARD_OFFICE', centerCode: 'SC441502000', note: '汕尾市社会保障卡服务中心' },
  { key: 'reviewer', staffNumber: 'JY3001', name: '赵敏', role: 'ENROLLMENT_REVIEWER', centerCode: 'EDU441500', note: '汕尾市教育局 入学审核' },
] as const;
