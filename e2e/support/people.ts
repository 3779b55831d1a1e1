import os from 'node:os';
import path from 'node:path';
import { composeIdNumber } from '@portal/identity';

/**
 * The browser tests' own residents, seeded beside the demo data, so that a
 * test that changes someone's card never disturbs another test.
 */
export const PASSWORD = 'Shanwei@2026';

function person(
  name: string,
  areaCode: string,
  birthDate: string,
  sequence: number,
  phone: string | null = '13800000000',
) {
  return {
    name,
    idNumber: composeIdNumber(areaCode, birthDate, sequence),
    areaCode,
    phone,
    employed: true,
    minimumLiving: false,
  };
}

export const PEOPLE = {
  /** Reports the card lost. */
  lossReporter: person('赵晓明', '441502', '1992-04-18', 233),
  /** Gives staff a one-time code. */
  codeGiver: person('周小红', '441521', '1988-12-05', 146),
  /** Helped in person, without a phone. */
  walkIn: { ...person('郑阿婆', '441581', '1944-02-11', 88, null), employed: false, minimumLiving: true },
  /** Revokes an authorization while staff are looking. */
  revoker: person('许文辉', '441523', '1979-07-21', 311),
  /** Only reads: deep links, language, budgets. */
  reader: person('蔡美玲', '441502', '1995-10-02', 442),
  /** Applies for a replacement and collects it at the counter. */
  replacer: person('彭振东', '441521', '1983-01-27', 195),
  /** Reads a card message and the counter's look at her card in both languages: the card app's own texts, fetched from its deployed catalogue. */
  textReader: person('梁慧敏', '441502', '1993-03-21', 452),
  /** The same while the card app's texts cannot be fetched: generic texts instead. */
  textFallback: person('冯志坚', '441521', '1985-08-17', 466),
  /** Follows a replacement in the message center (消息中心): unread count, marking read, links. */
  messageReader: person('陈家豪', '441502', '1987-09-12', 286),
  /** Helped at the counter so staff deep links can be reloaded. */
  counterVisitor: person('庄雅琪', '441581', '1990-06-15', 327),
  /** Health: a long record to filter, page and chart: 30 visits, a check-up in each of the last five years (over 40), hypertension follow-ups. */
  patient: {
    ...person('钟振东', '441521', '1958-03-09', 415),
    employed: false,
    health: { encounters: 30, chronic: ['HYPERTENSION' as const] },
  },
  /** Health: a parent whose minor child is a vaccine dose behind (same registered household). */
  parent: { ...person('叶海涛', '441502', '1986-11-23', 157), household: 'e2e-ye', relation: 'HEAD' as const },
  child: {
    ...person('叶思琪', '441502', '2025-02-14', 44, null),
    employed: false,
    household: 'e2e-ye',
    relation: 'CHILD' as const,
    health: { missLatestDose: true },
  },
  /** Health: a record with an encounter in a sensitive category, seen at the counter. */
  sensitivePatient: { ...person('罗佩珊', '441523', '1991-05-30', 268), health: { encounters: 4, sensitive: true } },
  /** Health: gives the counter a code for the card only, then staff try the health record. */
  cardOnlyGiver: { ...person('温丽娟', '441502', '1984-08-08', 372), health: { encounters: 3 } },
  /** Health: hides one visit from the counter, then shows it again. */
  hider: { ...person('麦志强', '441581', '1989-02-19', 219), health: { encounters: 5 } },
  /** 长辈模式: an older resident offered the elder-friendly mode at first sign-in. */
  elderly: { ...person('吴阿婆', '441523', '1949-08-08', 122, null), employed: false },
  /** Accessibility audits: visits every page in both modes and gives the counter a code. */
  auditor: {
    ...person('黄美华', '441502', '1970-05-06', 318),
    health: { encounters: 3, chronic: ['HYPERTENSION' as const] },
  },
  /** 子女入学: a parent registered in 螺溪镇 (no home there) applies for primary school, is asked for a document, and accepts the place. */
  enrollParent: {
    ...person('邱志明', '441523', '1987-03-14', 512),
    household: 'e2e-qiu',
    relation: 'HEAD' as const,
    enrollment: { town: '螺溪镇' },
  },
  enrollChild: {
    ...person('邱子涵', '441523', '2021-02-09', 514, null),
    employed: false,
    household: 'e2e-qiu',
    relation: 'CHILD' as const,
  },
  /** 子女入学: a migrant family renting in 新田镇 on a residence permit; must upload the rental contract. */
  migrantParent: {
    ...person('温建国', '445202', '1986-09-23', 516),
    household: 'e2e-wen',
    relation: 'HEAD' as const,
    enrollment: { town: '新田镇', registeredOutside: '445202', residencePermitYears: 3, contributionMonths: 36 },
  },
  migrantChild: {
    ...person('温雨桐', '445202', '2020-11-30', 518, null),
    employed: false,
    household: 'e2e-wen',
    relation: 'CHILD' as const,
  },
  /** 子女入学: two reviewers decide the same application at once. */
  contestedParent: {
    ...person('龚伟强', '441523', '1985-06-06', 522),
    household: 'e2e-gong',
    relation: 'HEAD' as const,
    enrollment: { town: '河口镇' },
  },
  contestedChild: {
    ...person('龚雅文', '441523', '2021-05-21', 524, null),
    employed: false,
    household: 'e2e-gong',
    relation: 'CHILD' as const,
  },
  /** 子女入学: a parent in 新田镇 who is offered a place and declines it. */
  decliningParent: {
    ...person('严国栋', '441523', '1986-12-02', 542),
    household: 'e2e-yan',
    relation: 'HEAD' as const,
    enrollment: { town: '新田镇' },
  },
  decliningChild: {
    ...person('严梓萱', '441523', '2021-06-15', 544, null),
    employed: false,
    household: 'e2e-yan',
    relation: 'CHILD' as const,
  },
  /** 子女入学 at the counter: staff file and submit for a parent under an enrollment-only authorization. */
  assistedParent: {
    ...person('黎秀梅', '441523', '1984-01-28', 526),
    household: 'e2e-li',
    relation: 'HEAD' as const,
    enrollment: { town: '上护镇', ownsHome: true },
  },
  assistedChild: {
    ...person('黎浩宇', '441523', '2020-12-24', 528, null),
    employed: false,
    household: 'e2e-li',
    relation: 'CHILD' as const,
  },
  /** 子女入学 on a 375 px phone: a parent in 河田镇 whose pages must fit the screen. */
  phoneParent: {
    ...person('罗家明', '441523', '1990-04-17', 536),
    household: 'e2e-luo',
    relation: 'HEAD' as const,
    enrollment: { town: '河田镇' },
  },
  phoneChild: {
    ...person('罗思彤', '441523', '2021-03-28', 538, null),
    employed: false,
    household: 'e2e-luo',
    relation: 'CHILD' as const,
  },
  /** Accessibility audits of the enrollment pages: a parent with a child starting primary school in 水唇镇. */
  enrollAuditor: {
    ...person('方丽娜', '441523', '1989-10-10', 532),
    household: 'e2e-fang',
    relation: 'HEAD' as const,
    enrollment: { town: '水唇镇' },
  },
  enrollAuditorChild: {
    ...person('方俊熙', '441523', '2021-01-05', 534, null),
    employed: false,
    household: 'e2e-fang',
    relation: 'CHILD' as const,
  },
  /** Accessibility audits of the lottery section (摇号): a parent in 河口镇 whose child takes part in a committed round at 河口第二小学. */
  lotteryAuditor: {
    ...person('卢建新', '441523', '1988-04-04', 546),
    household: 'e2e-lu',
    relation: 'HEAD' as const,
    enrollment: { town: '河口镇' },
  },
  lotteryAuditorChild: {
    ...person('卢雨桐', '441523', '2021-04-04', 548, null),
    employed: false,
    household: 'e2e-lu',
    relation: 'CHILD' as const,
  },
  /** 居家养老: a mother over 60 in 陆丰 (served by FW5001's meal service), level 轻度受损, paying her share in cash. */
  careMother: {
    ...person('林秀珍', '441581', '1950-03-12', 246),
    employed: false,
    care: {
      level: 'MILD' as const,
      livingSituation: 'ALONE' as const,
      paymentMethod: 'CASH' as const,
      emergencyContacts: [{ name: '林志明', relation: '儿子', phone: '13800001111' }],
    },
  },
  /** 居家养老: her adult son, registered elsewhere; the city's civil records link them. */
  careSon: { ...person('林志明', '441502', '1978-06-20', 153), childOf: composeIdNumber('441581', '1950-03-12', 246) },
  /** 居家养老: two neighbours in 陆河 racing for the last place of a home visit. */
  raceFirst: { ...person('郭玉兰', '441523', '1946-09-09', 262), employed: false, care: { level: 'MILD' as const } },
  raceSecond: { ...person('邱秋菊', '441523', '1948-01-30', 284), employed: false, care: { level: 'MILD' as const } },
  /** 居家养老: helped at the counter with an elderly-care code, then edits her own profile. */
  careWalkIn: {
    ...person('蔡阿娣', '441502', '1943-05-17', 126, null),
    employed: false,
    minimumLiving: true,
    care: { level: 'MODERATE' as const, paymentMethod: 'CASH' as const },
  },
  /** Accessibility audits of the elderly care pages: an older resident with a care history, an open assessment request to come, a past order to rate. */
  careAuditor: {
    ...person('戴美玉', '441502', '1947-11-03', 148),
    employed: false,
    care: {
      level: 'MODERATE' as const,
      livingSituation: 'WITH_SPOUSE' as const,
      paymentMethod: 'CASH' as const,
      history: true,
      emergencyContacts: [{ name: '戴晓华', relation: '女儿', phone: '13800002222' }],
    },
  },
  /** 居家养老: books a meal with the keyboard alone. */
  keyboardBooker: {
    ...person('庄月娥', '441521', '1951-08-30', 188),
    employed: false,
    care: { level: 'MILD' as const, paymentMethod: 'CASH' as const },
  },
  /** 居家养老: asks for an ability assessment, which the assessor records. */
  assessed: { ...person('禤玉霞', '441581', '1949-04-22', 302), employed: false },
  /** 长辈模式 in every app: an older resident with a card, a health record and home care. */
  elderModeChecker: {
    ...person('苏丽容', '441581', '1952-07-19', 364),
    employed: false,
    health: { encounters: 3 },
    care: { level: 'MILD' as const, paymentMethod: 'CASH' as const },
  },
  /** 居家养老 on a 375 px phone in elder mode: her subsidy statement must not push the page sideways. */
  phoneElder: {
    ...person('钟桂香', '441521', '1949-02-11', 642),
    employed: false,
    care: { level: 'MILD' as const, paymentMethod: 'CASH' as const },
  },
  /** …and her daughter, who acts for her in the audits of the delegate's view. */
  careAuditorDaughter: {
    ...person('戴晓华', '441502', '1975-02-14', 242),
    childOf: composeIdNumber('441502', '1947-11-03', 148),
  },
} as const;

export const STAFF = {
  counter: { staffNumber: 'SW1001', name: '王芳', center: '香洲街道社区综合服务中心' },
  counter2: { staffNumber: 'SW1002', name: '李明', center: '东海街道社区综合服务中心' },
  cardOffice: { staffNumber: 'SK2001', name: '刘洋' },
  reviewer: { staffNumber: 'JY3001', name: '赵敏' },
  careAssessor: { staffNumber: 'PG4001', name: '周静' },
  /** A worker of 陆丰's meal provider (陆丰…颐康助餐服务中心). */
  careProvider: { staffNumber: 'FW5001', name: '吴强' },
} as const;

export const PORT = Number(process.env.E2E_PORT ?? 4173);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
/** The test portal's data and published files; per port, so that two checkouts can run their browser tests side by side. */
export const E2E_DATA_DIR = path.join(os.tmpdir(), `shanwei-portal-e2e-${PORT}`);
