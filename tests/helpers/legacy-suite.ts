import { before } from 'node:test';
import { legacyCall, legacyClient, type LegacyClient } from './items';
import { useBasalt, type BasaltSuite } from './suite';

/** A Basalt suite that also speaks the 2011-12-05 API: a v2 SDK client for it and raw calls to it. */
export interface LegacyBasaltSuite extends BasaltSuite {
  readonly legacy: LegacyClient;
  legacyCall(operation: string, body: unknown): ReturnType<typeof legacyCall>;
}

/** `useBasalt()`, plus a `before` that makes the 2011-12-05 client; the suite's own hooks then see it. */
export function useLegacyBasalt(): LegacyBasaltSuite {
  const suite = useBasalt();
  let legacy: LegacyClient | undefined;
  before(() => {
    legacy = legacyClient(suite.basalt.endpoint);
  });
  return {
    get basalt() {
      return suite.basalt;
    },
    get ddb() {
      return suite.ddb;
    },
    get legacy() {
      if (!legacy) throw new Error('Basalt is not started: use its client in a test or hook');
      return legacy;
    },
    legacyCall: (operation, body) => legacyCall(suite.basalt.endpoint, operation, body),
  };
}
