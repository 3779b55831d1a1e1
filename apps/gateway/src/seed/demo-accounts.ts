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
    note: '在职职工，五险缴费记录；家有三个孩子，林梓睿可报名2027年小学一年级',
    household: 'lin',
    relation: 'HEAD',
    health: { encounters: 6 },
    enrollment: { town: '香洲街道', ownsHome: true },
  },
  {
    key: 'elder',
    name: '陈秀英',
    idNumber: composeIdNumber('441581', '1948-09-20', 262),
    areaCode: '441581',
    phone: null,
    note: '退休老人，养老金与低保，无手机；高血压、糖尿病随访；居家养老：中度受损，已委托儿子陈建华代办',
    health: { chronic: ['HYPERTENSION', 'TYPE2_DIABETES'] },
  },
  {
    key: 'replacing',
    name: '黄丽华',
    idNumber: composeIdNumber('441521', '1990-06-08', 184),
    areaCode: '441521',
    phone: '13902345678',
    note: '社保卡已挂失，补卡制作中',
  },
  {
    key: 'second',
    name: '张伟',
    idNumber: composeIdNumber('441523', '1978-11-30', 417),
    areaCode: '441523',
    phone: '13712349876',
    note: '在职职工',
  },
  {
    key: 'elderChild',
    name: '陈建华',
    idNumber: composeIdNumber('441581', '1972-04-16', 135),
    areaCode: '441581',
    phone: '13926607788',
    note: '陈秀英的儿子（民政记录中的亲子关系），受母亲委托办理居家养老服务',
  },
] as const;

/**
 * Older residents with home-care (居家养老) records besides 陈秀英: a couple in
 * 城区 whose daughter lives with them (household delegation), and a resident of
 * 海丰 with a severe level and no payment method.
 */
export const DEMO_ELDERS = [
  {
    name: '黄国平',
    idNumber: composeIdNumber('441502', '1944-07-03', 211),
    areaCode: '441502',
    phone: '13802601122',
    employed: false,
    minimumLiving: false,
    household: 'huang',
    relation: 'HEAD',
    care: { level: 'MILD', livingSituation: 'WITH_CHILDREN', paymentMethod: 'SOCIAL_SECURITY_CARD' },
  },
  {
    name: '许桂兰',
    idNumber: composeIdNumber('441502', '1947-01-25', 182),
    areaCode: '441502',
    phone: null,
    employed: false,
    minimumLiving: false,
    household: 'huang',
    relation: 'SPOUSE',
    care: { level: 'MODERATE', livingSituation: 'WITH_CHILDREN', paymentMethod: 'SOCIAL_SECURITY_CARD' },
  },
  {
    name: '黄晓燕',
    idNumber: composeIdNumber('441502', '1975-10-09', 246),
    areaCode: '441502',
    phone: '13802603344',
    employed: true,
    minimumLiving: false,
    household: 'huang',
    relation: 'CHILD',
  },
  {
    name: '彭玉珍',
    idNumber: composeIdNumber('441521', '1939-12-12', 88),
    areaCode: '441521',
    phone: null,
    employed: false,
    minimumLiving: true,
    care: { level: 'SEVERE', livingSituation: 'ALONE', paymentMethod: 'NONE' },
  },
] as const;

/**
 * 林志强's family: his wife and three children (the youngest is a vaccine dose
 * behind; 林梓睿 turns six before 31 August 2027, so he can apply for primary school).
 */
export const DEMO_HOUSEHOLD_MEMBERS = [
  {
    name: '陈美玲',
    idNumber: composeIdNumber('441502', '1987-08-21', 244),
    areaCode: '441502',
    phone: '13826605678',
    employed: true,
    minimumLiving: false,
    household: 'lin',
    relation: 'SPOUSE',
  },
  {
    name: '林梓涵',
    idNumber: composeIdNumber('441502', '2020-05-16', 22),
    areaCode: '441502',
    phone: null,
    employed: false,
    minimumLiving: false,
    household: 'lin',
    relation: 'CHILD',
    health: { missLatestDose: false },
  },
  {
    name: '林子轩',
    idNumber: composeIdNumber('441502', '2025-09-10', 31),
    areaCode: '441502',
    phone: null,
    employed: false,
    minimumLiving: false,
    household: 'lin',
    relation: 'CHILD',
    health: { missLatestDose: true },
  },
  {
    name: '林梓睿',
    idNumber: composeIdNumber('441502', '2021-04-18', 53),
    areaCode: '441502',
    phone: null,
    employed: false,
    minimumLiving: false,
    household: 'lin',
    relation: 'CHILD',
  },
] as const;

function familyMember(
  name: string,
  areaCode: string,
  birthDate: string,
  sequence: number,
  household: string,
  relation: 'HEAD' | 'SPOUSE' | 'CHILD',
  enrollment: Record<string, string | number | boolean> = {},
) {
  const adult = relation !== 'CHILD';
  return {
    name,
    idNumber: composeIdNumber(areaCode, birthDate, sequence),
    areaCode,
    phone: adult ? `1380000${String(sequence).padStart(4, '0')}` : null,
    employed: adult,
    minimumLiving: false,
    household,
    relation,
    enrollment,
  };
}

/**
 * Families applying for school places in the demo (子女入学): in every county
 * area, registered with an owned home, registered only, and migrant families
 * on residence permits with different contribution histories; children
 * turning six by 31 August 2027 and pupils finishing grade 6.
 */
export const DEMO_ENROLLMENT_FAMILIES = [
  familyMember('蔡建华', '441502', '1988-02-14', 611, 'enroll-cai', 'HEAD', { town: '香洲街道', ownsHome: true }),
  familyMember('蔡思琪', '441502', '2021-01-20', 612, 'enroll-cai', 'CHILD'),
  familyMember('杨国平', '441502', '1986-07-03', 613, 'enroll-yang', 'HEAD', { town: '香洲街道' }),
  familyMember('杨浩然', '441502', '2020-10-11', 615, 'enroll-yang', 'CHILD'),
  familyMember('许海涛', '445202', '1987-05-19', 617, 'enroll-xu', 'HEAD', {
    town: '香洲街道',
    registeredOutside: '445202',
    residencePermitYears: 4,
    contributionMonths: 48,
  }),
  familyMember('许晓燕', '445202', '1989-09-09', 618, 'enroll-xu', 'SPOUSE', { contributionMonths: 30 }),
  familyMember('许家豪', '445202', '2021-06-30', 619, 'enroll-xu', 'CHILD'),
  familyMember('彭文辉', '440513', '1985-12-01', 621, 'enroll-peng', 'HEAD', {
    town: '香洲街道',
    registeredOutside: '440513',
    residencePermitYears: 2,
    contributionMonths: 20,
  }),
  familyMember('彭婷婷', '440513', '2021-03-03', 622, 'enroll-peng', 'CHILD'),
  familyMember('庄振东', '441521', '1984-04-04', 623, 'enroll-zhuang', 'HEAD', { town: '海城镇', ownsHome: true }),
  familyMember('庄俊杰', '441521', '2014-10-05', 625, 'enroll-zhuang', 'CHILD'),
  familyMember('钟少华', '441523', '1983-08-08', 627, 'enroll-zhong', 'HEAD', { town: '河田镇' }),
  familyMember('钟雅琪', '441523', '2021-07-07', 628, 'enroll-zhong', 'CHILD'),
  familyMember('叶永康', '441581', '1982-11-11', 629, 'enroll-ye', 'HEAD', { town: '东海街道', ownsHome: true }),
  familyMember('叶佩珊', '441581', '2015-02-02', 630, 'enroll-ye', 'CHILD'),
  familyMember('卓惠敏', '445102', '1990-01-15', 632, 'enroll-zhuo', 'HEAD', {
    town: '东海街道',
    registeredOutside: '445102',
    residencePermitYears: 6,
    contributionMonths: 60,
  }),
  familyMember('卓子轩', '445102', '2020-12-12', 633, 'enroll-zhuo', 'CHILD'),
] as const;

export const DEMO_STAFF = [
  {
    key: 'counter',
    staffNumber: 'SW1001',
    name: '王芳',
    role: 'COUNTER',
    centerCode: 'SC441502001',
    note: '香洲街道社区综合服务中心',
  },
  {
    key: 'counter2',
    staffNumber: 'SW1002',
    name: '李明',
    role: 'COUNTER',
    centerCode: 'SC441581001',
    note: '东海街道社区综合服务中心',
  },
  {
    key: 'cardOffice',
    staffNumber: 'SK2001',
    name: '刘洋',
    role: 'CARD_OFFICE',
    centerCode: 'SC441502000',
    note: '汕尾市社会保障卡服务中心',
  },
  {
    key: 'reviewer',
    staffNumber: 'JY3001',
    name: '赵敏',
    role: 'ENROLLMENT_REVIEWER',
    centerCode: 'EDU441500',
    note: '汕尾市教育局 入学审核',
  },
  {
    key: 'assessor',
    staffNumber: 'PG4001',
    name: '周静',
    role: 'CARE_ASSESSOR',
    centerCode: 'SC441581001',
    note: '老年人能力评估员（GB/T 42195-2022）',
  },
  {
    key: 'provider',
    staffNumber: 'FW5001',
    name: '吴强',
    role: 'CARE_PROVIDER',
    centerCode: 'FW441581001',
    providerCode: 'FW441581001',
    note: '陆丰市东海颐康助餐服务中心（助餐服务商）',
  },
] as const;
