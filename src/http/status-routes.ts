// What this installation is doing: GET /api/status (each role's figures) and GET /api/processes (the processes the
// controller runs). Both answer for the whole installation, so `vigil run --roles all` forwards them to the controller.

import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type App, routesOf } from './routes.js';

/** The figures differ by role and source; every answer is an object. */
const Figures = z.looseObject({});

export function registerStatusRoutes(app: App, status: (req: FastifyRequest) => Promise<Record<string, unknown>>): void {
  routesOf(app, 'controller').get(
    '/api/status',
    { access: 'read', summary: 'what runs and how it goes: roles, source, classifier counts and lag, tracked keywords, rows kept aside', response: Figures },
    async (req) => status(req),
  );
}

export function registerProcessRoutes(app: App, processes: () => Promise<Record<string, unknown>>): void {
  routesOf(app, 'controller').get(
    '/api/processes',
    { access: 'read', summary: "the controller's plan and the processes it runs (trackers, classifiers), each with its state", response: Figures },
    async () => processes(),
  );
}
