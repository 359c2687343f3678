/** Nexmark's `PersonGenerator`: people with the next id, and random ids of recently active people. */
import type { SeededRandom } from '../../generators/index.js';
import type { Person } from '../model.js';
import { FIRST_PERSON_ID, PERSON_ID_LEAD, lastBase0PersonId, type GeneratorConfig } from './generator-config.js';
import type { StringsGenerator } from './strings-generator.js';

/** Few states, so that Q3 (OR, ID, CA) finds matches even in small runs. */
export const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'] as const;
export const US_CITIES = [
  'Phoenix',
  'Los Angeles',
  'San Francisco',
  'Boise',
  'Portland',
  'Bend',
  'Redmond',
  'Seattle',
  'Kent',
  'Cheyenne',
] as const;
const FIRST_NAMES = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'] as const;
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'] as const;

/** The person of event `eventId` at `dateTime`. */
export function nextPerson(
  eventId: number,
  random: SeededRandom,
  strings: StringsGenerator,
  dateTime: number,
  config: GeneratorConfig,
): Person {
  const id = lastBase0PersonId(eventId) + FIRST_PERSON_ID;
  const name = `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
  const emailAddress = `${strings.nextString(7)}@${strings.nextString(5)}.com`;
  let creditCard = '';
  for (let i = 0; i < 4; i++) creditCard += (i > 0 ? ' ' : '') + String(random.int(10_000)).padStart(4, '0');
  const city = random.pick(US_CITIES);
  const state = random.pick(US_STATES);
  const currentSize = 8 + name.length + emailAddress.length + creditCard.length + city.length + state.length;
  const extra = strings.nextExtra(currentSize, config.avgPersonByteSize);
  return { type: 'person', id, name, emailAddress, creditCard, city, state, dateTime, extra };
}

/**
 * A random person id (base 0) among the `numActivePeople` most recent, plus a few not created yet: keeps
 * the density of bids and auctions per person constant over long runs.
 */
export function nextBase0PersonId(eventId: number, random: SeededRandom, config: GeneratorConfig): number {
  const numPeople = lastBase0PersonId(eventId) + 1;
  const activePeople = Math.min(numPeople, config.numActivePeople);
  return numPeople - activePeople + random.int(activePeople + PERSON_ID_LEAD);
}
