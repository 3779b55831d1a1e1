import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ABILITY_ITEMS,
  ABILITY_TOTAL_MAX,
  computeAbilityLevel,
  levelForTotal,
  type AbilityAdjustments,
} from '../src/routers/eldercare/ability-assessment.js';
import {
  TARGETS,
  accessLogCount,
  createWorld,
  expectInvalidInput,
  expectRefused,
  lastAccessLogEntry,
  rowCounts,
  testResident,
  type World,
} from './harness.js';

/**
 * GB/T 42195-2022 ability assessment: the level is computed on the server
 * from validated item scores, and the subsidy follows it from the first day
 * of the next month. The test clock starts on 2026-11-02.
 */

const NO_ADJUSTMENTS: AbilityAdjustments = { coma: false, dementiaOrMentalDisorder: false, riskEvents30Days: 0 };

/** Scores with this total: every item at its best, then points taken away item by item. */
function scoresWithTotal(total: number): Record<string, number> {
  const scores = Object.fromEntries(ABILITY_ITEMS.map((item) => [item.key, item.max]));
  let sum = ABILITY_TOTAL_MAX;
  while (sum > total) {
    for (const item of ABILITY_ITEMS) {
      if (sum > total && scores[item.key]! > 0) {
        scores[item.key]! -= 1;
        sum -= 1;
      }
    }
  }
  return scores;
}

describe('ability level from item scores (GB/T 42195-2022, clause 6)', () => {
  it('has 26 items in four indicators adding up to 90 points', () => {
    expect(ABILITY_ITEMS).toHaveLength(26);
    expect(ABILITY_TOTAL_MAX).toBe(90);
    const byIndicator = (indicator: string) =>
      ABILITY_ITEMS.filter((item) => item.indicator === indicator).reduce((sum, item) => sum + item.max, 0);
    expect([
      byIndicator('SELF_CARE'),
      byIndicator('MOBILITY'),
      byIndicator('MENTAL'),
      byIndicator('PERCEPTION'),
    ]).toEqual([32, 15, 28, 15]);
  });

  it.each([
    [90, 'INTACT'],
    [89, 'MILD'],
    [66, 'MILD'],
    [65, 'MODERATE'],
    [46, 'MODERATE'],
    [45, 'SEVERE'],
    [30, 'SEVERE'],
    [29, 'TOTAL_LOSS'],
    [0, 'TOTAL_LOSS'],
  ] as const)('a total of %i is %s', (total, level) => {
    expect(levelForTotal(total)).toBe(level);
    const result = computeAbilityLevel(scoresWithTotal(total), NO_ADJUSTMENTS);
    expect(result.totalScore).toBe(total);
    expect(result.selfCareScore + result.mobilityScore + result.mentalScore + result.perceptionScore).toBe(total);
    expect(result.level).toBe(level);
  });

  it('a dementia or mental disorder diagnosis, and two or more risk events in 30 days, each make the level one worse', () => {
    const mild = scoresWithTotal(80);
    expect(computeAbilityLevel(mild, { ...NO_ADJUSTMENTS, dementiaOrMentalDisorder: true }).level).toBe('MODERATE');
    expect(computeAbilityLevel(mild, { ...NO_ADJUSTMENTS, riskEvents30Days: 1 }).level).toBe('MILD');
    expect(computeAbilityLevel(mild, { ...NO_ADJUSTMENTS, riskEvents30Days: 2 }).level).toBe('MODERATE');
    expect(
      computeAbilityLevel(mild, { ...NO_ADJUSTMENTS, dementiaOrMentalDisorder: true, riskEvents30Days: 3 }).level,
    ).toBe('SEVERE');
    const result = computeAbilityLevel(scoresWithTotal(10), {
      ...NO_ADJUSTMENTS,
      dementiaOrMentalDisorder: true,
      riskEvents30Days: 5,
    });
    expect(result).toMatchObject({ preliminaryLevel: 'TOTAL_LOSS', level: 'TOTAL_LOSS' });
  });

  it('coma is complete loss of ability whatever the scores', () => {
    expect(computeAbilityLevel(scoresWithTotal(90), { ...NO_ADJUSTMENTS, coma: true }).level).toBe('TOTAL_LOSS');
  });
});

const OLDER = testResident('苏婆婆', '1946-03-15', 402);
const SECOND = testResident('邓伯', '1950-08-21', 403);
const YOUNG = testResident('钱小姐', '1990-02-02', 404);

describe.each(TARGETS)('assessments on %s', (target) => {
  let world: World;

  beforeAll(async () => {
    world = await createWorld(target, { extraResidents: [OLDER, SECOND, YOUNG] });
  });
  afterAll(() => world?.close());

  it('residents and other staff cannot call the assessor procedures', async () => {
    const resident = await world.signIn(OLDER.idNumber);
    const counter = await world.staff('counter');
    const provider = await world.staff('provider');
    for (const caller of [resident, counter, provider]) {
      await expectRefused(caller.call.eldercare.assessor.queue(), 'FORBIDDEN', 'errors.forbidden');
      await expectRefused(caller.call.eldercare.assessor.scale(), 'FORBIDDEN', 'errors.forbidden');
    }
  });

  it('a resident under 60 cannot ask for an assessment', async () => {
    const young = await world.signIn(YOUNG.idNumber);
    const shape = await expectRefused(
      young.call.eldercare.requestAssessment({}),
      'FORBIDDEN',
      'errors.eldercare.notEligible',
    );
    expect(shape.data.params).toEqual({ age: 60 });
    expect((await young.call.eldercare.profile({})).eligible).toBe(false);
  });

  it('asking twice gives the one open request; the assessor sees it masked in the queue and opening it is logged', async () => {
    const resident = await world.signIn(OLDER.idNumber);
    const first = await resident.call.eldercare.requestAssessment({});
    const again = await resident.call.eldercare.requestAssessment({});
    expect(again).toMatchObject({ id: first.id, duplicate: true });
    expect((await resident.call.eldercare.profile({})).assessmentRequest?.id).toBe(first.id);

    const assessor = await world.staff('assessor');
    const queue = await assessor.call.eldercare.assessor.queue();
    const entry = queue.find((row) => row.requestId === first.id)!;
    expect(entry).toMatchObject({ maskedName: '苏**', age: 80, previousLevel: null });

    const before = await accessLogCount(world.db);
    const subject = await assessor.call.eldercare.assessor.subject({ requestId: first.id });
    expect(subject.resident.name).toBe('苏婆婆');
    expect(subject.scale.items).toHaveLength(26);
    expect(await accessLogCount(world.db)).toBe(before + 1);
    expect(await lastAccessLogEntry(world.db)).toMatchObject({
      residentId: await world.residentIdOf(OLDER.idNumber),
      staffId: await world.staffId('assessor'),
      basis: 'ASSESSMENT_REQUEST',
      action: 'eldercare.assessor.subject',
    });
  });

  it('a missing, out-of-range, fractional or unknown item score is refused and nothing is recorded', async () => {
    const resident = await world.signIn(OLDER.idNumber);
    const { id: requestId } = await resident.call.eldercare.requestAssessment({});
    const assessor = await world.staff('assessor');
    const tables = ['CareAssessment', 'CareAssessmentItem', 'Message', 'AccessLogEntry'];
    const before = await rowCounts(world.db, tables);
    const full = scoresWithTotal(70);
    const { 'B1.1': _dropped, ...missing } = full;
    await expectInvalidInput(assessor.call.eldercare.assessor.record({ requestId, scores: missing }), {
      'scores.B1.1': 'validation.assessment.scoreMissing',
    });
    await expectInvalidInput(assessor.call.eldercare.assessor.record({ requestId, scores: { ...full, 'B2.4': 4 } }), {
      'scores.B2.4': 'validation.assessment.scoreRange',
    });
    await expectInvalidInput(assessor.call.eldercare.assessor.record({ requestId, scores: { ...full, 'B3.7': -1 } }), {
      'scores.B3.7': 'validation.assessment.scoreRange',
    });
    await expectInvalidInput(assessor.call.eldercare.assessor.record({ requestId, scores: { ...full, 'B4.3': 2.5 } }), {
      'scores.B4.3': 'validation.assessment.scoreRange',
    });
    await expectInvalidInput(assessor.call.eldercare.assessor.record({ requestId, scores: { ...full, 'B9.9': 1 } }), {
      'scores.B9.9': 'validation.assessment.unknownItem',
    });
    await expectInvalidInput(
      assessor.call.eldercare.assessor.record({
        requestId,
        scores: full,
        adjustments: { coma: false, dementiaOrMentalDisorder: false, riskEvents30Days: -2 },
      }),
      { 'adjustments.riskEvents30Days': 'validation.assessment.riskEvents' },
    );
    expect(await rowCounts(world.db, tables)).toEqual(before);
    expect((await resident.call.eldercare.profile({})).assessmentRequest?.id).toBe(requestId);
  });

  it('records the level the server computes, tells the resident, and the subsidy follows it from next month', async () => {
    const resident = await world.signIn(SECOND.idNumber);
    const before = await resident.call.eldercare.profile({});
    expect(before.subsidy.thisMonth).toMatchObject({ month: '2026-11', level: null, totalFen: 0 });
    const { id: requestId } = await resident.call.eldercare.requestAssessment({});
    const assessor = await world.staff('assessor');
    // 55 points: moderately impaired; two falls in the last month make it severe.
    const recorded = await assessor.call.eldercare.assessor.record({
      requestId,
      scores: scoresWithTotal(55),
      adjustments: { coma: false, dementiaOrMentalDisorder: false, riskEvents30Days: 2 },
    });
    expect(recorded).toMatchObject({
      totalScore: 55,
      preliminaryLevel: 'MODERATE',
      level: 'SEVERE',
      effectiveFrom: '2026-12-01',
    });
    expect(await lastAccessLogEntry(world.db)).toMatchObject({
      action: 'eldercare.assessor.record',
      basis: 'ASSESSMENT_REQUEST',
    });
    await expectRefused(
      assessor.call.eldercare.assessor.record({ requestId, scores: scoresWithTotal(90) }),
      'CONFLICT',
      'errors.eldercare.assessmentDone',
    );

    const after = await resident.call.eldercare.profile({});
    expect(after.latestAssessment).toMatchObject({
      level: 'SEVERE',
      totalScore: 55,
      effectiveFrom: '2026-12-01',
      inForce: false,
    });
    expect(after.assessmentRequest).toBeNull();
    expect(after.subsidy.thisMonth.totalFen).toBe(0);
    expect(after.subsidy.nextMonth).toMatchObject({ month: '2026-12', level: 'SEVERE', levelFen: 30_000 });
    const message = await world.db.prisma.message.findFirst({
      where: { residentId: await world.residentIdOf(SECOND.idNumber), topic: 'eldercare.assessment.RECORDED' },
    });
    expect(message?.params).toEqual({ level: 'SEVERE', effectiveFrom: '2026-12-01', total: 55 });
    const items = await world.db.prisma.careAssessmentItem.count({ where: { assessmentId: recorded.assessmentId } });
    expect(items).toBe(26);

    // December: the allowance at the new level is credited once, however often the profile is read.
    world.clock.advance(30 * 24 * 3_600_000);
    const inDecember = await world.signIn(SECOND.idNumber);
    const december = await inDecember.call.eldercare.profile({});
    await inDecember.call.eldercare.profile({});
    expect(december.latestAssessment?.inForce).toBe(true);
    expect(december.subsidy.thisMonth).toMatchObject({ month: '2026-12', level: 'SEVERE', totalFen: 30_000 });
    const credits = await world.db.prisma.subsidyLedgerEntry.findMany({
      where: { residentId: await world.residentIdOf(SECOND.idNumber), kind: 'MONTHLY_ALLOWANCE' },
    });
    expect(credits.map((entry) => [entry.month?.toISOString().slice(0, 10), entry.amountFen, entry.level])).toEqual([
      ['2026-12-01', 30_000, 'SEVERE'],
    ]);
  });
});
