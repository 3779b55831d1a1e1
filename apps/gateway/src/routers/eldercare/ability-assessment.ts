import { z } from 'zod';
import type { AbilityLevel } from '../../generated/prisma/enums.js';

/**
 * GB/T 42195-2022 老年人能力评估规范 (Specification for ability assessment of
 * older adults). Annex B (老年人能力评估表) scores 26 second-level items under
 * four first-level indicators (clause 5, 评估指标); the item keys are the
 * annex's clause numbers. Total: 32 + 15 + 28 + 15 = 90 points.
 */
export type AbilityIndicator = 'SELF_CARE' | 'MOBILITY' | 'MENTAL' | 'PERCEPTION';

export interface AbilityItem {
  key: string;
  indicator: AbilityIndicator;
  /** The item's name in the standard. */
  name: string;
  /** Scores run from 0 (worst) to max (best), whole points. */
  max: number;
}

export const ABILITY_ITEMS: readonly AbilityItem[] = [
  // B.1 自理能力评估表 (self-care), 8 items, 0–32.
  { key: 'B1.1', indicator: 'SELF_CARE', name: '进食', max: 4 },
  { key: 'B1.2', indicator: 'SELF_CARE', name: '修饰', max: 4 },
  { key: 'B1.3', indicator: 'SELF_CARE', name: '洗澡', max: 4 },
  { key: 'B1.4', indicator: 'SELF_CARE', name: '穿/脱上衣', max: 4 },
  { key: 'B1.5', indicator: 'SELF_CARE', name: '穿/脱裤子和鞋袜', max: 4 },
  { key: 'B1.6', indicator: 'SELF_CARE', name: '小便控制', max: 4 },
  { key: 'B1.7', indicator: 'SELF_CARE', name: '大便控制', max: 4 },
  { key: 'B1.8', indicator: 'SELF_CARE', name: '如厕', max: 4 },
  // B.2 基础运动能力评估表 (basic mobility), 4 items, 0–15.
  { key: 'B2.1', indicator: 'MOBILITY', name: '床上体位转移', max: 4 },
  { key: 'B2.2', indicator: 'MOBILITY', name: '床椅转移', max: 4 },
  { key: 'B2.3', indicator: 'MOBILITY', name: '平地行走', max: 4 },
  { key: 'B2.4', indicator: 'MOBILITY', name: '上下楼梯', max: 3 },
  // B.3 精神状态评估表 (mental state), 9 items, 0–28.
  { key: 'B3.1', indicator: 'MENTAL', name: '时间定向', max: 4 },
  { key: 'B3.2', indicator: 'MENTAL', name: '空间定向', max: 4 },
  { key: 'B3.3', indicator: 'MENTAL', name: '人物定向', max: 4 },
  { key: 'B3.4', indicator: 'MENTAL', name: '记忆', max: 4 },
  { key: 'B3.5', indicator: 'MENTAL', name: '理解能力', max: 4 },
  { key: 'B3.6', indicator: 'MENTAL', name: '表达能力', max: 4 },
  { key: 'B3.7', indicator: 'MENTAL', name: '攻击行为', max: 1 },
  { key: 'B3.8', indicator: 'MENTAL', name: '抑郁症状', max: 1 },
  { key: 'B3.9', indicator: 'MENTAL', name: '意识水平', max: 2 },
  // B.4 感知觉与社会参与评估表 (perception and social participation), 5 items, 0–15.
  { key: 'B4.1', indicator: 'PERCEPTION', name: '视力', max: 2 },
  { key: 'B4.2', indicator: 'PERCEPTION', name: '听力', max: 2 },
  { key: 'B4.3', indicator: 'PERCEPTION', name: '执行日常事务', max: 4 },
  { key: 'B4.4', indicator: 'PERCEPTION', name: '使用交通工具外出', max: 3 },
  { key: 'B4.5', indicator: 'PERCEPTION', name: '社会交往能力', max: 4 },
];

export const ABILITY_TOTAL_MAX = ABILITY_ITEMS.reduce((sum, item) => sum + item.max, 0);

/** The levels from best to worst; "one level worse" is the next entry. */
export const ABILITY_LEVELS: readonly AbilityLevel[] = ['INTACT', 'MILD', 'MODERATE', 'SEVERE', 'TOTAL_LOSS'];

/**
 * Clause 6.1 (能力等级划分): the preliminary level from the total score.
 * 能力完好 90; 轻度受损 66–89; 中度受损 46–65; 重度受损 30–45; 完全丧失 0–29.
 */
export const LEVEL_MIN_TOTAL: Readonly<Record<AbilityLevel, number>> = {
  INTACT: 90,
  MILD: 66,
  MODERATE: 46,
  SEVERE: 30,
  TOTAL_LOSS: 0,
};

/** Two or more care-risk events (falls, choking, wandering off, self-harm…) in the last 30 days make the level one worse. */
export const RISK_EVENTS_FOR_ADJUSTMENT = 2;

const scoreKeys = ABILITY_ITEMS.map((item) => item.key);

/** Every item present, each a whole number within its own range; no other keys. */
export const abilityScoresSchema = z
  .record(z.string(), z.unknown(), { error: 'validation.assessment.scores' })
  .superRefine((scores, ctx) => {
    for (const key of Object.keys(scores)) {
      if (!scoreKeys.includes(key))
        ctx.addIssue({ code: 'custom', path: [key], message: 'validation.assessment.unknownItem' });
    }
    for (const item of ABILITY_ITEMS) {
      const value = scores[item.key];
      if (value === undefined || value === null) {
        ctx.addIssue({ code: 'custom', path: [item.key], message: 'validation.assessment.scoreMissing' });
      } else if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > item.max) {
        ctx.addIssue({ code: 'custom', path: [item.key], message: 'validation.assessment.scoreRange' });
      }
    }
  })
  .transform((scores) => scores as Record<string, number>);

export const abilityAdjustmentsSchema = z.object({
  /** 昏迷: assessed directly as complete loss of ability. */
  coma: z.boolean({ error: 'validation.invalid' }).default(false),
  /** A diagnosed dementia (F00–F03) or other mental and behavioural disorder (F04–F99). */
  dementiaOrMentalDisorder: z.boolean({ error: 'validation.invalid' }).default(false),
  /** Care-risk events in the last 30 days. */
  riskEvents30Days: z
    .number({ error: 'validation.assessment.riskEvents' })
    .int({ error: 'validation.assessment.riskEvents' })
    .min(0, { error: 'validation.assessment.riskEvents' })
    .max(99, { error: 'validation.assessment.riskEvents' })
    .default(0),
});

export type AbilityAdjustments = z.infer<typeof abilityAdjustmentsSchema>;

export interface AbilityResult {
  selfCareScore: number;
  mobilityScore: number;
  mentalScore: number;
  perceptionScore: number;
  totalScore: number;
  /** From the total alone (clause 6.1). */
  preliminaryLevel: AbilityLevel;
  /** After the adjustments of clause 6.2. */
  level: AbilityLevel;
}

export function levelForTotal(total: number): AbilityLevel {
  return ABILITY_LEVELS.find((level) => total >= LEVEL_MIN_TOTAL[level])!;
}

/** The level an assessment gives: computed here, never taken from the browser. Scores must already be validated. */
export function computeAbilityLevel(scores: Record<string, number>, adjustments: AbilityAdjustments): AbilityResult {
  const sum = (indicator: AbilityIndicator) =>
    ABILITY_ITEMS.filter((item) => item.indicator === indicator).reduce((total, item) => total + scores[item.key]!, 0);
  const selfCareScore = sum('SELF_CARE');
  const mobilityScore = sum('MOBILITY');
  const mentalScore = sum('MENTAL');
  const perceptionScore = sum('PERCEPTION');
  const totalScore = selfCareScore + mobilityScore + mentalScore + perceptionScore;
  const preliminaryLevel = levelForTotal(totalScore);
  let index = ABILITY_LEVELS.indexOf(preliminaryLevel);
  // Clause 6.2: each condition present makes the level one worse, at most down to complete loss.
  if (adjustments.dementiaOrMentalDisorder) index += 1;
  if (adjustments.riskEvents30Days >= RISK_EVENTS_FOR_ADJUSTMENT) index += 1;
  let level = ABILITY_LEVELS[Math.min(index, ABILITY_LEVELS.length - 1)]!;
  if (adjustments.coma) level = 'TOTAL_LOSS';
  return { selfCareScore, mobilityScore, mentalScore, perceptionScore, totalScore, preliminaryLevel, level };
}
