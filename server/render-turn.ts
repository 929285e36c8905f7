import 'server-only';
import { after } from 'next/server';
import { pageRenderGate } from './render-gate';

/**
 * Waits for this request's turn (server/render-gate.ts) and gives the turn back once the response has been sent.
 * Call it first thing in the root layout (every page) and in route handlers that build big responses per request
 * (a body cached per engine state needs no turn); never in a streaming one (the event stream would hold its turn)
 * nor in health checks (they must answer under load).
 */
export async function waitForRenderTurn(): Promise<void> {
  after(await pageRenderGate().admit());
}
