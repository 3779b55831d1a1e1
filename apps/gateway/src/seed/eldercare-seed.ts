import { maskPhone } from '@portal/identity';
import type { ServerDeps } from '../context.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { AbilityLevel, CarePaymentMethod, CareServiceKind, LivingSituation } from '../generated/prisma/enums.js';
import { ABILITY_ITEMS, LEVEL_MIN_TOTAL, computeAbilityLevel } from '../routers/eldercare/ability-assessment.js';
import { chinaMonthStart } from '../china-time.js';
import { scheduledSlots } from '../routers/eldercare/care-slots.js';
import { splitPrice } from '../routers/eldercare/catalogue.js';
import { appendLedgerEntry, creditMonthlyAllowance } from '../routers/eldercare/subsidy.js';
import { AREA_NAMES, TOWNS } from './places.js';
import type { SeededRandom } from './random.js';

/** What a demo or test resident has in home care (居家养老). */
export interface KnownCare {
  livingSituation?: LivingSituation;
  paymentMethod?: CarePaymentMethod;
  /** An assessment at this level, in force since last month (so this month's allowance follows it). */
  level?: AbilityLevel;
  emergencyContacts?: readonly { name: string; relation: string; phone: string }[];
  /** Demo only: allowances of the last months and a few completed orders before today. */
  history?: boolean;
}

const AREAS = Object.keys(TOWNS);

interface ItemPlan {
  kind: CareServiceKind;
  name: string;
  priceFen: number;
  subsidyCapFen: number;
  durationMinutes: number;
  /** Start times in China (hour) and places per slot. */
  hours: number[];
  capacity: number;
}

/** Two providers per county area: a meal and visiting service, and a housekeeping and escort service. */
function providerPlans(area: string): { suffix: string; name: string; street: string; items: ItemPlan[] }[] {
  const place = AREA_NAMES[area]!.replace('汕尾市', '');
  const town = TOWNS[area]![0]!.replace(/(街道|镇)$/, '');
  return [
    {
      suffix: '001',
      name: `${place}${town}颐康助餐服务中心`,
      street: '颐康路8号',
      items: [
        {
          kind: 'MEAL',
          name: '长者午餐配送（两荤一素）',
          priceFen: 1_500,
          subsidyCapFen: 1_000,
          durationMinutes: 30,
          hours: [11],
          capacity: 6,
        },
        {
          kind: 'HOME_VISIT',
          name: '上门探访与陪伴',
          priceFen: 3_000,
          subsidyCapFen: 3_000,
          durationMinutes: 60,
          hours: [9, 15],
          capacity: 1,
        },
        {
          kind: 'EMERGENCY_CALL',
          name: '紧急呼叫设备安装与月度检测',
          priceFen: 5_000,
          subsidyCapFen: 4_000,
          durationMinutes: 60,
          hours: [14],
          capacity: 1,
        },
      ],
    },
    {
      suffix: '002',
      name: `${place}安馨居家照护服务有限公司`,
      street: '安馨路26号',
      items: [
        {
          kind: 'CLEANING',
          name: '居室清洁（两小时）',
          priceFen: 8_000,
          subsidyCapFen: 5_000,
          durationMinutes: 120,
          hours: [9, 14],
          capacity: 1,
        },
        {
          kind: 'BATHING',
          name: '上门助浴',
          priceFen: 12_000,
          subsidyCapFen: 8_000,
          durationMinutes: 90,
          hours: [10],
          capacity: 1,
        },
        {
          kind: 'MEDICAL_ESCORT',
          name: '陪同就医（半天）',
          priceFen: 10_000,
          subsidyCapFen: 6_000,
          durationMinutes: 240,
          hours: [8],
          capacity: 1,
        },
      ],
    },
  ];
}

/**
 * Each provider's office: also the workplace (a ServiceCenter row with the
 * provider's code) of its staff, so that a resident's access log names the
 * provider, not a community center, when the provider's staff open an order.
 */
export function providerOffices(): { code: string; name: string; areaCode: string; address: string }[] {
  return AREAS.flatMap((area) =>
    providerPlans(area).map((plan) => ({
      code: `FW${area}${plan.suffix}`,
      name: plan.name,
      areaCode: area,
      address: `${AREA_NAMES[area]}${TOWNS[area]![0]}${plan.street}`,
    })),
  );
}

export interface SeededProviders {
  providerIdByCode: Map<string, string>;
}

/** Providers, their items with regular schedules, and their slots from five weeks back (for the demo history) to two weeks ahead. */
export async function seedCareProviders(deps: ServerDeps, random: SeededRandom): Promise<SeededProviders> {
  const now = deps.now();
  const providers: Prisma.CareProviderCreateManyInput[] = [];
  const items: Prisma.CareServiceItemCreateManyInput[] = [];
  const slots: Prisma.CareSlotCreateManyInput[] = [];
  const providerIdByCode = new Map<string, string>();
  for (const area of AREAS) {
    for (const plan of providerPlans(area)) {
      const id = random.uuid();
      const code = `FW${area}${plan.suffix}`;
      providerIdByCode.set(code, id);
      providers.push({
        id,
        code,
        name: plan.name,
        areaCode: area,
        address: `${AREA_NAMES[area]}${TOWNS[area]![0]}${plan.street}`,
        hotline: `0660-${random.int(3_100_000, 3_399_999)}`,
      });
      for (const item of plan.items) {
        const row = {
          id: random.uuid(),
          providerId: id,
          kind: item.kind,
          name: item.name,
          priceFen: item.priceFen,
          subsidyCapFen: item.subsidyCapFen,
          durationMinutes: item.durationMinutes,
          startHours: item.hours,
          slotCapacity: item.capacity,
        };
        items.push(row);
        slots.push(...scheduledSlots(row, now, -35, 14, () => random.uuid()));
      }
    }
  }
  await deps.db.prisma.careProvider.createMany({ data: providers });
  await deps.db.prisma.careServiceItem.createMany({ data: items });
  await deps.db.prisma.careSlot.createMany({ data: slots });
  return { providerIdByCode };
}

/** Item scores adding up to a total within the level's range: every item at its best, then lowered one point at a time. */
export function scoresForLevel(level: AbilityLevel): Record<string, number> {
  const target = { INTACT: 90, MILD: 75, MODERATE: 55, SEVERE: 38, TOTAL_LOSS: 20 }[level];
  const scores = Object.fromEntries(ABILITY_ITEMS.map((item) => [item.key, item.max]));
  let total = ABILITY_ITEMS.reduce((sum, item) => sum + item.max, 0);
  while (total > target) {
    for (const item of ABILITY_ITEMS) {
      if (total > target && scores[item.key]! > 0) {
        scores[item.key]! -= 1;
        total -= 1;
      }
    }
  }
  if (total < LEVEL_MIN_TOTAL[level]) throw new Error(`No scores for ${level}`);
  return scores;
}

export interface CarePerson {
  residentId: string;
  care: KnownCare;
}

/**
 * Care profiles, assessments (by the demo assessor), the subsidy ledger and,
 * for the demo, past orders, for the residents that ask for them. Everything
 * goes through the same ledger functions the gateway uses, so the balance is
 * the ledger's sum.
 */
export async function seedCareRecords(
  deps: ServerDeps,
  random: SeededRandom,
  people: CarePerson[],
  assessorId: string,
) {
  const now = deps.now();
  const prisma = deps.db.prisma;
  const thisMonth = chinaMonthStart(now);
  for (const person of people) {
    const { care, residentId } = person;
    await prisma.$transaction(async (tx) => {
      await tx.careProfile.create({
        data: {
          residentId,
          livingSituation: care.livingSituation ?? 'ALONE',
          paymentMethod: care.paymentMethod ?? 'NONE',
          updatedAt: now,
          emergencyContacts: {
            createMany: {
              data: (care.emergencyContacts ?? []).map((contact, position) => ({
                id: random.uuid(),
                position,
                name: contact.name,
                relation: contact.relation,
                phoneEnc: deps.protector.encrypt(contact.phone, 'phone'),
                phoneMask: maskPhone(contact.phone),
              })),
            },
          },
        },
      });
      if (care.level) {
        // Assessed in the month before last, in force from last month.
        const assessedAt = new Date(Date.UTC(thisMonth.getUTCFullYear(), thisMonth.getUTCMonth() - 2, 12, 2));
        const scores = scoresForLevel(care.level);
        const result = computeAbilityLevel(scores, {
          coma: false,
          dementiaOrMentalDisorder: false,
          riskEvents30Days: 0,
        });
        const requestId = random.uuid();
        await tx.careAssessmentRequest.create({
          data: {
            id: requestId,
            residentId,
            requestedAt: new Date(assessedAt.getTime() - 7 * 86_400_000),
            completedAt: assessedAt,
          },
        });
        await tx.careAssessment.create({
          data: {
            id: random.uuid(),
            residentId,
            requestId,
            assessorId,
            assessedAt,
            effectiveFrom: chinaMonthStart(assessedAt, 1),
            selfCareScore: result.selfCareScore,
            mobilityScore: result.mobilityScore,
            mentalScore: result.mentalScore,
            perceptionScore: result.perceptionScore,
            totalScore: result.totalScore,
            level: result.level,
            items: {
              createMany: { data: ABILITY_ITEMS.map((item) => ({ itemKey: item.key, score: scores[item.key]! })) },
            },
          },
        });
      }
      if (care.history) {
        // Last month's allowance, then two completed meal orders paid from it.
        const lastMonth = chinaMonthStart(now, -1);
        await creditMonthlyAllowance(tx, residentId, new Date(lastMonth.getTime() + 3_600_000), lastMonth);
        await seedPastOrders(tx, random, residentId, new Date(lastMonth.getTime() + 3_600_000));
      }
    });
  }
}

async function seedPastOrders(
  tx: Prisma.TransactionClient,
  random: SeededRandom,
  residentId: string,
  creditedAt: Date,
) {
  const resident = await tx.resident.findUniqueOrThrow({ where: { id: residentId }, select: { areaCode: true } });
  const item = await tx.careServiceItem.findFirstOrThrow({
    where: { kind: 'MEAL', provider: { areaCode: resident.areaCode } },
    select: { id: true, providerId: true, priceFen: true, subsidyCapFen: true },
  });
  const slots = await tx.careSlot.findMany({
    where: { itemId: item.id, startsAt: { gt: creditedAt } },
    orderBy: { startsAt: 'asc' },
    take: 2,
    select: { id: true, startsAt: true },
  });
  const provider = await tx.staffMember.findFirst({ where: { providerId: item.providerId }, select: { id: true } });
  const [account] = await tx.$queryRaw<
    { balanceFen: number }[]
  >`SELECT "balanceFen" FROM "SubsidyAccount" WHERE "residentId" = ${residentId}::uuid FOR UPDATE`;
  let balance = account?.balanceFen ?? 0;
  for (const [index, slot] of slots.entries()) {
    const bookedAt = new Date(slot.startsAt.getTime() - 2 * 86_400_000);
    const { subsidyFen, selfPayFen } = splitPrice(item.priceFen, item.subsidyCapFen, balance);
    const orderId = random.uuid();
    await tx.careSlot.update({ where: { id: slot.id }, data: { booked: { increment: 1 } } });
    await tx.careOrder.create({
      data: {
        id: orderId,
        residentId,
        slotId: slot.id,
        providerId: item.providerId,
        status: 'COMPLETED',
        priceFen: item.priceFen,
        subsidyFen,
        selfPayFen,
        paymentMethod: selfPayFen > 0 ? 'CASH' : 'NONE',
        requestKey: random.uuid(),
        createdAt: bookedAt,
        updatedAt: slot.startsAt,
        ...(index === 0
          ? { stars: 5, ratingComment: '饭菜软烂，送得准时。', ratedAt: new Date(slot.startsAt.getTime() + 3_600_000) }
          : {}),
        events: {
          createMany: {
            data: [
              { id: random.uuid(), status: 'BOOKED', actorKind: 'RESIDENT', createdAt: bookedAt },
              {
                id: random.uuid(),
                status: 'CONFIRMED',
                actorKind: 'PROVIDER',
                actorStaffId: provider?.id ?? null,
                createdAt: new Date(bookedAt.getTime() + 3_600_000),
              },
              {
                id: random.uuid(),
                status: 'IN_SERVICE',
                actorKind: 'PROVIDER',
                actorStaffId: provider?.id ?? null,
                createdAt: slot.startsAt,
              },
              {
                id: random.uuid(),
                status: 'COMPLETED',
                actorKind: 'PROVIDER',
                actorStaffId: provider?.id ?? null,
                createdAt: new Date(slot.startsAt.getTime() + 30 * 60_000),
              },
            ],
          },
        },
      },
    });
    if (subsidyFen > 0) {
      balance = await appendLedgerEntry(
        tx,
        balance,
        { residentId, kind: 'ORDER_PAYMENT', amountFen: -subsidyFen, orderId, actorKind: 'RESIDENT' },
        bookedAt,
      );
    }
  }
}
