/**
 * Every procedure of the gateway, called by every kind of user with random
 * and hostile input generated from its own input schema (fast-check, from
 * the zod schemas' JSON Schema), must answer with a result or a clear
 * refusal: never an internal error (HTTP 500). Inputs are mostly valid in
 * shape, with real ids from the database, so that they reach the handlers
 * and the database; some fields are hostile (NUL and other control
 * characters, lone surrogates, SQL, huge values, wrong types).
 *
 * A failure names the procedure, the caller and the input; FUZZ_SEED=<n>
 * runs the same inputs again.
 */
import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRouter } from '../src/app-router.js';
import { createSession } from '../src/auth/sessions.js';
import { AppError } from '../src/errors.js';
import { issueLookupToken } from '../src/routers/assist/lookup-token.js';
import { ABILITY_ITEMS } from '../src/routers/eldercare/ability-assessment.js';
import { TARGETS, callerFor, createWorld, demoResident, demoStaff, type Caller, type World } from './harness.js';

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.FUZZ_RUNS ?? 16);

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** What people paste, what attackers send, and what breaks databases. */
const HOSTILE_STRINGS = [
  '\u0000',
  'a\u0000b',
  '少盐\u0000',
  '\u0007\u0008\u001b[31m',
  '\u007f\u0085\u009f',
  '\ud800',
  'x\udc00y',
  '\u202e\u2066',
  '\u2028\u2029',
  '\'; DROP TABLE "Resident"; --',
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00%0a',
  '${jndi:ldap://x}',
  '__proto__',
  '{"json":null}',
  '',
  ' ',
  '\t\n\r',
  '４４１５０２１９８５０３１２３５１２',
  '١٢٣٤٥٦',
  '𠀀𠀁𠀂',
  'x'.repeat(5_000),
];

/** Put into every text field of an input that worked: what PostgreSQL refuses, or what is far too long. */
const TEXT_THAT_BREAKS_DATABASES = ['a\u0000b', '\u0000', '\ud800x', 'x'.repeat(5_000)];

const WRONG_TYPES: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.integer(),
  fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, -1e308, 1e308, 0.5),
  fc.boolean(),
  fc.string({ maxLength: 10 }),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
);

/** Real values by property name (ids from the database, demo ID numbers, a complete set of scores), and all ids under '*'. */
type Pools = Record<string, unknown[]>;

function hostileFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.type === 'string')
    return fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 12 }));
  return WRONG_TYPES;
}

/**
 * A value for `schema`: mostly valid, sometimes hostile (never, when
 * `hostile` is false). `name` is the property's, to pick real ids and known
 * values.
 */
function arbitraryFor(schema: JsonSchema, name: string, pools: Pools, hostile = true): fc.Arbitrary<unknown> {
  if (!hostile) return validFor(schema, name, pools, false);
  return fc.oneof(
    { arbitrary: validFor(schema, name, pools, true), weight: 4 },
    { arbitrary: hostileFor(schema), weight: 1 },
  );
}

/** Input for a whole procedure: random, or valid throughout, or valid but for one hostile field. */
function inputFor(schema: JsonSchema, pools: Pools): fc.Arbitrary<unknown> {
  const valid = arbitraryFor(schema, '', pools, false);
  const keys = Object.keys(schema.properties ?? {});
  const oneHostile = keys.length
    ? fc
        .tuple(valid, fc.constantFrom(...keys))
        .chain(([value, key]) =>
          hostileFor(schema.properties![key]!).map((bad) => ({ ...(value as object), [key]: bad })),
        )
    : valid;
  return fc.oneof(
    { arbitrary: arbitraryFor(schema, '', pools), weight: 3 },
    { arbitrary: valid, weight: 2 },
    { arbitrary: oneHostile, weight: 4 },
    { arbitrary: WRONG_TYPES, weight: 1 },
  );
}

function validFor(schema: JsonSchema, name: string, pools: Pools, hostile: boolean): fc.Arbitrary<unknown> {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((variant) => arbitraryFor(variant, name, pools, hostile)));
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const known = pools[name];
  if (known?.length && schema.type !== 'string')
    return fc.oneof(
      { arbitrary: fc.constantFrom(...known), weight: 4 },
      { arbitrary: generatedFor(schema, name, pools, hostile), weight: 1 },
    );
  return generatedFor(schema, name, pools, hostile);
}

function generatedFor(schema: JsonSchema, name: string, pools: Pools, hostile: boolean): fc.Arbitrary<unknown> {
  const known = pools[name];
  switch (schema.type) {
    case 'string': {
      if (known?.length)
        return fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 4 }, { arbitrary: fc.uuid(), weight: 1 });
      if (schema.format === 'uuid')
        return fc.oneof({ arbitrary: fc.constantFrom(...pools['*']!), weight: 2 }, { arbitrary: fc.uuid(), weight: 1 });
      if (schema.format === 'date')
        return fc
          .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
          .map((date) => date.toISOString().slice(0, 10));
      if (schema.format === 'date-time')
        return fc
          .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
          .map((date) => date.toISOString());
      const maxLength = Math.min(schema.maxLength ?? 40, 60);
      if (schema.pattern)
        return fc
          .stringMatching(new RegExp(schema.pattern), { size: 'small' })
          .filter((value) => value.length <= (schema.maxLength ?? Infinity));
      return fc.oneof(
        fc.string({ minLength: Math.min(schema.minLength ?? 0, maxLength), maxLength }),
        fc.constantFrom('少盐', '老人腿脚不便，请上门时多等一会儿', '张伟', '香洲街道', 'Shanwei'),
      );
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000 });
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1_000,
        max: schema.maximum ?? 1_000,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(arbitraryFor(schema.items ?? {}, name, pools, hostile), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    case 'object': {
      const properties = schema.properties ?? {};
      const record = fc.record(
        Object.fromEntries(
          Object.entries(properties).map(([key, value]) => [key, arbitraryFor(value, key, pools, hostile)]),
        ),
        { requiredKeys: (schema.required ?? []).filter((key) => key in properties) },
      );
      const extra = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : null;
      if (!extra) return record;
      // A record of free keys (the assessment's item scores): real keys mostly, and some that are not.
      const keys = (pools[`${name}.keys`] ?? []) as string[];
      const freeKey = hostile
        ? fc.oneof(fc.constantFrom(...(keys.length ? keys : ['x'])), fc.constantFrom(...HOSTILE_STRINGS))
        : fc.constantFrom(...(keys.length ? keys : ['x']));
      const dictionary = fc.dictionary(freeKey, arbitraryFor(extra, `${name}.value`, pools, hostile), { maxKeys: 30 });
      return fc.tuple(record, dictionary).map(([fixed, free]) => ({ ...free, ...fixed }));
    }
    default:
      return WRONG_TYPES;
  }
}

/** One object schema for all of a procedure's `.input()`s (tRPC merges them), or null when it takes none. */
function inputSchemaOf(procedure: { _def: { inputs: z.ZodType[] } }): JsonSchema | null {
  const inputs = procedure._def.inputs;
  if (!inputs.length) return null;
  const merged: JsonSchema = { type: 'object', properties: {}, required: [] };
  for (const input of inputs) {
    const schema = z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    const object =
      schema.type === 'object' ? schema : (schema.anyOf ?? []).find((variant) => variant.type === 'object');
    if (!object) return schema;
    Object.assign(merged.properties!, object.properties);
    merged.required!.push(...(object.required ?? []));
  }
  return merged;
}

/** The schema without the subject fields (authorizationId, delegationId), which each persona fills in its own way. */
function withoutSubject(schema: JsonSchema): JsonSchema {
  if (!schema.properties) return schema;
  const { authorizationId: _authorization, delegationId: _delegation, ...properties } = schema.properties;
  return { ...schema, properties, required: (schema.required ?? []).filter((key) => key in properties) };
}

type Procedures = Record<string, { _def: { inputs: z.ZodType[]; type: 'query' | 'mutation' | 'subscription' } }>;
const PROCEDURES = (appRouter._def as unknown as { procedures: Procedures }).procedures;
const PATHS = Object.keys(PROCEDURES).sort();

function callPath(caller: Caller, path: string, input: unknown): Promise<unknown> {
  let target: unknown = caller;
  for (const part of path.split('.')) target = (target as Record<string, unknown>)[part];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

/** Refusals by the procedure builders, before a handler runs. */
const REFUSED_AT_THE_DOOR = new Set([
  'errors.signInRequired',
  'errors.forbidden',
  'errors.csrf',
  'errors.authorizationRequired',
  'errors.scopeMissing',
  'errors.delegationRequired',
  'errors.delegationScope',
]);

const PERSONAS = [
  'anonymous',
  'resident',
  'olderResident',
  'delegate',
  'counter',
  'cardOffice',
  'reviewer',
  'assessor',
  'provider',
] as const;
type Persona = (typeof PERSONAS)[number];

describe.each(TARGETS)('fuzzing every procedure on %s', (target) => {
  let world: World;
  const callers = {} as Record<Persona, Caller>;
  let pools: Pools;

  beforeAll(async () => {
    world = await createWorld(target, { enrollmentDemo: true });
    const { prisma } = world.db;
    const ids = async (rows: Promise<{ id: string }[]>) => (await rows).map((row) => row.id);
    const [
      residents,
      slots,
      orders,
      requests,
      applications,
      schools,
      documents,
      encounters,
      replacements,
      messages,
      delegations,
    ] = await Promise.all([
      ids(prisma.resident.findMany({ select: { id: true }, take: 40 })),
      // Slots the older resident can book (their county area, from tomorrow on) and their own orders: so that bookings get as far as the database.
      ids(
        prisma.careSlot.findMany({
          where: {
            startsAt: { gt: new Date(world.clock.now().getTime() + 86_400_000) },
            item: { provider: { areaCode: demoResident('elder').areaCode } },
          },
          select: { id: true },
          take: 40,
        }),
      ),
      ids(
        prisma.careOrder.findMany({
          where: { resident: { name: demoResident('elder').name } },
          select: { id: true },
          take: 40,
        }),
      ),
      ids(prisma.careAssessmentRequest.findMany({ select: { id: true }, take: 20 })),
      ids(prisma.enrollmentApplication.findMany({ select: { id: true }, take: 40 })),
      ids(prisma.school.findMany({ select: { id: true }, take: 40 })),
      ids(prisma.enrollmentDocument.findMany({ select: { id: true }, take: 20 })),
      ids(prisma.encounter.findMany({ select: { id: true }, take: 40 })),
      ids(prisma.cardReplacement.findMany({ select: { id: true }, take: 20 })),
      ids(prisma.message.findMany({ select: { id: true }, take: 20 })),
      ids(prisma.delegationGrant.findMany({ select: { id: true } })),
    ]);
    const counterId = await world.staffId('counter');
    const elderId = await world.residentId('elder');
    // Live fixtures of their own, so that no fuzzed call (ending or revoking them) spoils another procedure's run.
    const authorizations = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const id = randomUUID();
        const { centerId } = await prisma.staffMember.findUniqueOrThrow({
          where: { id: counterId },
          select: { centerId: true },
        });
        await prisma.assistAuthorization.create({
          data: {
            id,
            residentId: elderId,
            staffId: counterId,
            centerId,
            method: 'IN_PERSON',
            scopes: ['CARD', 'HEALTH', 'ENROLLMENT', 'ELDERCARE'],
            includesSensitiveHealth: true,
            idDocumentChecked: true,
            reason: 'fuzz',
            createdAt: world.clock.now(),
            expiresAt: new Date(world.clock.now().getTime() + 60 * 60_000),
          },
        });
        return id;
      }),
    );
    const all = [
      ...residents,
      ...slots,
      ...orders,
      ...requests,
      ...applications,
      ...schools,
      ...documents,
      ...encounters,
      ...replacements,
      ...messages,
      ...delegations,
      ...authorizations,
    ];
    pools = {
      '*': all,
      authorizationId: authorizations,
      delegationId: delegations,
      slotId: slots,
      orderId: orders,
      requestId: requests,
      applicationId: applications,
      schoolId: schools,
      documentId: documents,
      encounterId: encounters,
      replacementId: replacements,
      personId: residents,
      childId: residents,
      granteeResidentId: residents,
      before: messages,
      idNumber: [demoResident('elder').idNumber, demoResident('worker').idNumber, demoResident('elderChild').idNumber],
      granteeIdNumber: [demoResident('elderChild').idNumber, demoResident('second').idNumber],
      staffNumber: [demoStaff('counter').staffNumber, 'SW9999'],
      pickupCenterCode: ['SC441502001', 'SC441581001'],
      lookupToken: [issueLookupToken(world.deps.protector, elderId, counterId, world.clock.now())],
      code: ['123456', '000000'],
      'scores.keys': ABILITY_ITEMS.map((item) => item.key),
      scores: [
        Object.fromEntries(ABILITY_ITEMS.map((item) => [item.key, item.max])),
        Object.fromEntries(ABILITY_ITEMS.map((item) => [item.key, 0])),
      ],
    };

    // Sessions made directly (no password hashing): one per kind of user.
    const session = async (principal: Parameters<typeof createSession>[1]) =>
      callerFor(world.deps, { sessionToken: await createSession(world.deps, principal) }).call;
    callers.anonymous = callerFor(world.deps).call;
    callers.resident = await session({ kind: 'RESIDENT', residentId: await world.residentId('worker') });
    callers.olderResident = await session({ kind: 'RESIDENT', residentId: elderId });
    callers.delegate = await session({ kind: 'RESIDENT', residentId: await world.residentId('elderChild') });
    for (const [persona, key] of [
      ['counter', 'counter'],
      ['cardOffice', 'cardOffice'],
      ['reviewer', 'reviewer'],
      ['assessor', 'assessor'],
      ['provider', 'provider'],
    ] as const) {
      callers[persona] = await session({ kind: 'STAFF', staffId: await world.staffId(key) });
    }
  });
  afterAll(() => world?.close());

  /** The counter's authorization and the delegate's grant for the procedure being fuzzed: new each time, and in no pool, so no fuzzed call ends them first. */
  const own = { authorizationId: '', delegationId: '' };
  async function freshSubjects() {
    const { prisma } = world.db;
    const [elderId, childId, counterId] = await Promise.all([
      world.residentId('elder'),
      world.residentId('elderChild'),
      world.staffId('counter'),
    ]);
    const { centerId } = await prisma.staffMember.findUniqueOrThrow({
      where: { id: counterId },
      select: { centerId: true },
    });
    const now = world.clock.now();
    own.authorizationId = randomUUID();
    own.delegationId = randomUUID();
    await prisma.assistAuthorization.create({
      data: {
        id: own.authorizationId,
        residentId: elderId,
        staffId: counterId,
        centerId,
        method: 'IN_PERSON',
        scopes: ['CARD', 'HEALTH', 'ENROLLMENT', 'ELDERCARE'],
        includesSensitiveHealth: true,
        idDocumentChecked: true,
        reason: 'fuzz',
        createdAt: now,
        expiresAt: new Date(now.getTime() + 60 * 60_000),
      },
    });
    await prisma.delegationGrant.create({
      data: {
        id: own.delegationId,
        grantorId: elderId,
        granteeId: childId,
        service: 'ELDERCARE',
        basis: 'ADULT_CHILD',
        startsAt: now,
        endsAt: new Date(now.getTime() + 30 * 86_400_000),
        createdAt: now,
      },
    });
  }

  /** Who a persona says it acts for: staff name their authorization, a delegate their delegation. */
  function subjectOf(persona: Persona): Record<string, string> {
    if (persona === 'counter') return { authorizationId: own.authorizationId };
    if (persona === 'delegate') return { delegationId: own.delegationId };
    return {};
  }

  it.each(PATHS)('%s never answers with an internal error', async (path) => {
    for (const [name, values] of Object.entries(pools)) if (values.length === 0) pools[name] = pools['*']!;
    await freshSubjects();
    const procedure = PROCEDURES[path]!;
    const schema = inputSchemaOf(procedure);
    const internal: { persona: Persona; input: unknown; message: string }[] = [];
    let reachedHandler = 0;
    const seed = SEED + PATHS.indexOf(path);
    const signIn = path.startsWith('auth.signIn');

    /** Inputs that went through, per persona: the second round puts hostile text into each of their fields. */
    const succeeded: { persona: Persona; value: Record<string, unknown> }[] = [];

    /** One call; true when it was refused at the door for who the caller is. */
    async function attempt(persona: Persona, value: unknown): Promise<boolean> {
      // Sign-in from an address of its own each time, so the fuzzing is not slowed by its own throttling.
      const caller =
        path === 'auth.signOut' && persona !== 'anonymous'
          ? await sessionFor(persona)
          : signIn
            ? callerFor(world.deps).call
            : callers[persona];
      try {
        await callPath(caller, path, value);
        reachedHandler += 1;
        if (value && typeof value === 'object' && !Array.isArray(value) && succeeded.length < 6)
          succeeded.push({ persona, value: value as Record<string, unknown> });
        return false;
      } catch (error) {
        if (!(error instanceof TRPCError)) throw error;
        if (process.env.FUZZ_DEBUG)
          console.log(
            'FUZZ',
            persona,
            JSON.stringify(value)?.slice(0, 160),
            error.code,
            (error as AppError).messageKey,
            String(error.cause).slice(0, 160),
          );
        if (error.code === 'INTERNAL_SERVER_ERROR')
          internal.push({ persona, input: value, message: String(error.cause ?? error.message).slice(0, 300) });
        const atTheDoor =
          error.cause instanceof z.ZodError || (error instanceof AppError && REFUSED_AT_THE_DOOR.has(error.messageKey));
        if (!atTheDoor) reachedHandler += 1;
        return error instanceof AppError && ['errors.forbidden', 'errors.signInRequired'].includes(error.messageKey);
      }
    }

    for (const persona of signIn ? (['anonymous'] as const) : PERSONAS) {
      const subject = subjectOf(persona);
      const ownSubject =
        schema?.properties && Object.keys(subject).every((key) => key in schema.properties!) ? subject : {};
      // Not this persona's procedure at all: a few tries are enough to show the door holds.
      const notTheirs = await attempt(persona, schema ? ownSubject : undefined);
      const input: fc.Arbitrary<unknown> = schema
        ? fc.oneof(
            // Mostly as this persona would call it (the right subject), with the rest fuzzed...
            {
              arbitrary: inputFor(withoutSubject(schema), pools).map((value) =>
                value && typeof value === 'object' && !Array.isArray(value) ? { ...value, ...ownSubject } : value,
              ),
              weight: 3,
            },
            // ...and sometimes with the subject fuzzed too.
            { arbitrary: inputFor(schema, pools), weight: 1 },
          )
        : fc.oneof(fc.constant(undefined), WRONG_TYPES);
      for (const value of fc.sample(input, {
        numRuns: notTheirs ? 2 : RUNS,
        seed: seed + PERSONAS.indexOf(persona) * 7_919,
      }))
        await attempt(persona, value);
    }
    // Second round: what worked, again with hostile text in one field at a time (and a new request key, so it is not taken for a resubmission).
    for (const { persona, value } of succeeded) {
      for (const [key, property] of Object.entries(schema?.properties ?? {})) {
        if (property.type !== 'string' || property.enum || 'const' in property) continue;
        for (const bad of TEXT_THAT_BREAKS_DATABASES) {
          await attempt(persona, {
            ...value,
            ...('requestKey' in value ? { requestKey: randomUUID() } : {}),
            [key]: bad,
          });
        }
      }
    }
    const report = internal
      .slice(0, 5)
      .map((failure) => `${failure.persona} with ${JSON.stringify(failure.input)?.slice(0, 300)}: ${failure.message}`);
    expect(report, `FUZZ_SEED=${SEED}`).toEqual([]);
    // The inputs were not all refused at the door: some reached the procedure's own code.
    expect(reachedHandler).toBeGreaterThan(0);
  });

  async function sessionFor(persona: Exclude<Persona, 'anonymous'>): Promise<Caller> {
    const resident = { resident: 'worker', olderResident: 'elder', delegate: 'elderChild' } as const;
    const principal =
      persona in resident
        ? ({
            kind: 'RESIDENT',
            residentId: await world.residentId(resident[persona as keyof typeof resident]),
          } as const)
        : ({ kind: 'STAFF', staffId: await world.staffId(persona as 'counter') } as const);
    return callerFor(world.deps, { sessionToken: await createSession(world.deps, principal) }).call;
  }
});
