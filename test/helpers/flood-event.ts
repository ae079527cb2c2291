// One event, "Flood" (keyword flood), for tests of the classifier and the store: as the event state holds it, and
// as a matcher built from it.

import type { VigilEvent } from '../../src/core/event.js';
import { Matcher } from '../../src/core/matcher.js';

export const FLOOD_EVENT: VigilEvent = {
  id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  name: 'Flood',
  keywords: ['flood'],
  active: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '',
};

export const FLOOD_MATCHER = new Matcher([{ ...FLOOD_EVENT, languages: [], accounts: [], boxes: [] }]);
