#!/usr/bin/env node
// Recomputes a school lottery round from its published list (the JSON file a family downloads
// from the 摇号 section of the application page), with nothing but Node.js: that the seed is the
// one whose SHA-256 was published before the round, every lottery number, the order, who got a
// place, and the outcome fingerprint. The formulas are in docs/lottery.md.
//
//   node scripts/verify-lottery.mjs lottery-2027-JY2027P-4F7KQ2-round-1.json
//
// Exits 0 when everything agrees, 1 on the first kind of disagreement (each one is listed).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const PRIORITY = { HUKOU_AND_HOME: 0, HUKOU_ONLY: 1, MIGRANT: 2 };
const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

const file = process.argv[2];
if (!file) {
  console.error('Usage: node scripts/verify-lottery.mjs <published list .json>');
  process.exit(2);
}
const round = JSON.parse(readFileSync(file, 'utf8'));
const problems = [];

if (!/^[0-9a-f]{64}$/.test(round.seed ?? '')) problems.push('the seed is not 64 hex characters');
if (sha256(round.seed) !== round.seedCommitment)
  problems.push(`SHA-256 of the seed is ${sha256(round.seed)}, the published commitment is ${round.seedCommitment}`);

for (const entry of round.entries) {
  const number = sha256(`${round.seed}:${entry.reference}`).slice(0, 16);
  if (number !== entry.lotteryNumber)
    problems.push(`${entry.reference}: lottery number ${entry.lotteryNumber} published, ${number} computed`);
}

const compare = (a, b) =>
  PRIORITY[a.category] - PRIORITY[b.category] ||
  b.points - a.points ||
  (a.lotteryNumber < b.lotteryNumber ? -1 : a.lotteryNumber > b.lotteryNumber ? 1 : 0) ||
  (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0);
const ordered = [...round.entries].sort(compare);
ordered.forEach((entry, index) => {
  const position = index + 1;
  if (entry.position !== position)
    problems.push(`${entry.reference}: position ${entry.position} published, ${position} by the rule`);
  const offered = position <= round.places;
  if (offered !== (entry.outcome === 'OFFERED'))
    problems.push(`${entry.reference}: ${entry.outcome} published at position ${position} with ${round.places} places`);
});

if (round.outcomeDigest) {
  const digest = sha256(
    ordered.map((entry) => `${entry.position} ${entry.reference} ${entry.lotteryNumber} ${entry.outcome}\n`).join(''),
  );
  if (digest !== round.outcomeDigest)
    problems.push(`outcome fingerprint ${round.outcomeDigest} published, ${digest} computed`);
}

const title = `${round.school?.name ?? 'school'}, ${round.year}, round ${round.round}: ${round.entries.length} applicants, ${round.places} places`;
if (problems.length) {
  console.log(`${title}\nDOES NOT CHECK OUT:`);
  for (const problem of problems) console.log(`  - ${problem}`);
  process.exit(1);
}
console.log(
  `${title}\nOK: the seed matches its published commitment, and every lottery number, position and offer follows from the seed and the published list.`,
);
